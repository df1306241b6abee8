package coord.it.check;

import java.time.Duration;

/**
 * How long the search may run on one partition before answering {@link Verdict#UNKNOWN}.
 *
 * @param perPartition wall-clock limit per partition
 * @param maxSteps limit on search steps (model steps plus backtracks) per partition; it also bounds
 *     the memo table's size
 */
public record Budget(Duration perPartition, long maxSteps) {
  /**
   * The fault suite's default: 10 s and 10 million steps per partition. The memo table holds up
   * to one entry per step, each about (operations / 8 + 100) bytes.
   */
  public static final Budget DEFAULT = new Budget(Duration.ofSeconds(10), 10_000_000L);

  public Budget {
    if (perPartition.isNegative() || perPartition.isZero() || maxSteps <= 0) {
      throw new IllegalArgumentException("budget must be positive");
    }
  }
}
