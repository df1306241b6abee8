package coord.it.fault;

import java.util.ArrayList;
import java.util.List;

/** The run's fault timeline, filled in by the nemeses and read by checkers and the report. */
public final class FaultLog {

  /**
   * One fault episode. Times are {@code System.nanoTime()} of the driver JVM, like the histories.
   *
   * @param kind e.g. {@code kill}, {@code pause}, {@code partition-leader}, {@code bridge}
   * @param targets member ids the fault hit (for partitions: the minority side)
   * @param startNanos when the fault was injected
   * @param healNanos when it was healed; -1 while it lasts
   * @param recoveredNanos first successful write after the heal; -1 if not measured
   */
  public record Episode(String kind, List<Integer> targets, long startNanos, long healNanos, long recoveredNanos) {}

  private final List<Episode> episodes = new ArrayList<>();

  public synchronized void add(Episode episode) {
    episodes.add(episode);
  }

  public synchronized List<Episode> episodes() {
    return List.copyOf(episodes);
  }
}
