package coord.it.check;

import java.util.List;

/**
 * The checker's result for a whole history: one {@link PartitionResult} per path.
 *
 * @param partitions per-path results, sorted by path
 * @param elapsedNanos total checking time
 */
public record CheckReport(List<PartitionResult> partitions, long elapsedNanos) {
  public CheckReport {
    partitions = List.copyOf(partitions);
  }

  /** VIOLATION if any partition is one, else UNKNOWN if any is unknown, else OK. */
  public Verdict verdict() {
    Verdict v = Verdict.OK;
    for (PartitionResult p : partitions) {
      v = v.worst(p.verdict());
    }
    return v;
  }

  /** True only if every partition is OK: the suite's pass criterion. */
  public boolean isLinearizable() {
    return verdict() == Verdict.OK;
  }

  public List<PartitionResult> violations() {
    return partitions.stream().filter(p -> p.verdict() == Verdict.VIOLATION).toList();
  }

  public List<PartitionResult> unknown() {
    return partitions.stream().filter(p -> p.verdict() == Verdict.UNKNOWN).toList();
  }

  /** A one-line summary followed by the failing partitions with their explanations. */
  public String render() {
    StringBuilder s = new StringBuilder();
    long ops = partitions.stream().mapToLong(PartitionResult::operations).sum();
    s.append(String.format(
        "%s: %d partitions, %d ops, %d violations, %d unknown, %.1f ms%n",
        verdict(), partitions.size(), ops, violations().size(), unknown().size(),
        elapsedNanos / 1e6));
    for (PartitionResult p : partitions) {
      if (p.verdict() != Verdict.OK) {
        s.append(p).append('\n');
      }
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return render();
  }
}
