package coord.it.fault;

import java.util.List;

/**
 * One episode as measured by the scheduler, for the report.
 *
 * @param kind the nemesis kind
 * @param targets members it hit
 * @param startNanos injection time
 * @param healNanos heal time
 * @param recoveryMs from the heal to the first acknowledged probe write called after it; -1 if none came
 * @param failoverMs for faults that stop the leader: from the injection to the first acknowledged write
 *     called after it; -1 otherwise or if none came
 * @param error why injecting or healing failed, or null
 */
public record EpisodeStats(String kind, List<Integer> targets, long startNanos, long healNanos, long recoveryMs,
    long failoverMs, String error) {

  public EpisodeStats {
    targets = List.copyOf(targets);
  }
}
