package coord.it.run;

import coord.it.fault.EpisodeStats;
import coord.it.workload.CheckResult;
import java.util.List;
import java.util.Map;

/**
 * What a run found; written as {@code report.json} (and rendered as {@code report.md}).
 *
 * @param ok the AND of every check, the digest verdict, the liveness guards and the cleanup
 * @param runDir the run's folder
 * @param seed the seed that repeats the run
 * @param failpoint the server failpoint every member ran with, or null
 * @param network how the members were networked, and why
 * @param faultSeconds how long faults were injected
 * @param enabledFaults the fault kinds the run used
 * @param skippedFaults the kinds left out, each with the reason
 * @param operations per workload, the largest operation count any of its checkers looked at
 * @param faultsByKind episodes per kind
 * @param recoveryByKind recovery and failover times per kind
 * @param episodes every episode in order
 * @param checks every checker's verdict
 * @param digestsEqual whether all members ended with the same tree digest at the same applied index
 * @param digests each member's final digest
 * @param appliedIndex each member's final applied index
 * @param restartWriteMs after killing all members at once: how long until a write was acknowledged again
 * @param problems why the run is not ok (empty when it is)
 * @param wallSeconds the whole run's wall time
 */
public record RunResult(
    boolean ok,
    String runDir,
    long seed,
    String failpoint,
    String network,
    long faultSeconds,
    List<String> enabledFaults,
    List<String> skippedFaults,
    Map<String, Long> operations,
    Map<String, Integer> faultsByKind,
    Map<String, Recovery> recoveryByKind,
    List<EpisodeStats> episodes,
    List<WorkloadCheck> checks,
    boolean digestsEqual,
    Map<Integer, String> digests,
    Map<Integer, Long> appliedIndex,
    long restartWriteMs,
    List<String> problems,
    double wallSeconds) {

  /** One checker's verdict, with the workload it belongs to. */
  public record WorkloadCheck(String workload, CheckResult result) {}

  /**
   * Recovery figures of one fault kind, milliseconds; -1 where nothing was measured.
   *
   * @param episodes episodes of that kind
   * @param maxRecoveryMs longest time from a heal to the first acknowledged write after it
   * @param medianRecoveryMs median of the same
   * @param maxFailoverMs for faults that stop the leader: longest time from injection to the first write
   * @param medianFailoverMs median of the same
   */
  public record Recovery(int episodes, long maxRecoveryMs, long medianRecoveryMs, long maxFailoverMs,
      long medianFailoverMs) {}

  /** The checks that failed. */
  public List<WorkloadCheck> failedChecks() {
    return checks.stream().filter(c -> !c.result().ok()).toList();
  }
}
