package coord.it.check;

/**
 * The verdict for one partition (one znode path).
 *
 * @param path the znode path
 * @param verdict OK, VIOLATION or UNKNOWN
 * @param operations operations checked (after dropping irrelevant ones)
 * @param ignored operations dropped as irrelevant (indeterminate reads, unmodelled failures)
 * @param patched indeterminate writes made definite because their value was read ({@link
 *     ObservedWrites})
 * @param steps search steps taken
 * @param elapsedNanos time spent
 * @param explanation why it is a VIOLATION; null otherwise
 */
public record PartitionResult(
    String path,
    Verdict verdict,
    int operations,
    int ignored,
    int patched,
    long steps,
    long elapsedNanos,
    Explanation explanation) {

  @Override
  public String toString() {
    String head = String.format(
        "%s: %s (%d ops, %d ignored, %d patched, %d steps, %.1f ms)",
        path, verdict, operations, ignored, patched, steps, elapsedNanos / 1e6);
    return explanation == null ? head : head + "\n" + explanation.render();
  }
}
