package coord.it.check;

import coord.it.history.OpType;
import coord.it.history.Operation;
import coord.it.workload.CheckResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Jepsen's set check for unique creates: after the cluster healed and restarted, every acknowledged
 * create must be present (else it is <em>lost</em>), every definitely failed one absent, and nothing may be
 * present that was never attempted. Indeterminate creates may or may not be present; those present are
 * reported as recovered.
 */
public final class SetChecker {

  /** Counts of one check; {@code lost + unexpected + failedPresent} are the anomalies. */
  public record Counts(int attempted, int acknowledged, int failed, int indeterminate, int present,
      int lost, int unexpected, int failedPresent, int recovered) {}

  /**
   * @param history the CREATE operations of the set workload (other operations are ignored)
   * @param present the paths found by the final linearizable read
   */
  public CheckResult check(List<Operation> history, Set<String> present) {
    Map<String, Operation> byPath = new HashMap<>();
    Set<String> acked = new TreeSet<>();
    Set<String> failed = new TreeSet<>();
    Set<String> indeterminate = new HashSet<>();
    List<String> duplicates = new ArrayList<>();
    for (Operation op : history) {
      if (op.op() != OpType.CREATE) {
        continue;
      }
      if (byPath.put(op.path(), op) != null) {
        duplicates.add(op.path());
      }
      if (op.outcome().isOk()) {
        acked.add(op.path());
      } else if (op.outcome().isFail()) {
        failed.add(op.path());
      } else {
        indeterminate.add(op.path());
      }
    }
    List<String> lost = acked.stream().filter(p -> !present.contains(p)).toList();
    List<String> unexpected = new TreeSet<>(present).stream().filter(p -> !byPath.containsKey(p)).toList();
    List<String> failedPresent = failed.stream().filter(present::contains).toList();
    int recovered = (int) indeterminate.stream().filter(present::contains).count();
    Counts n = new Counts(byPath.size(), acked.size(), failed.size(), indeterminate.size(), present.size(),
        lost.size(), unexpected.size(), failedPresent.size(), recovered);
    long anomalies = (long) lost.size() + unexpected.size() + failedPresent.size() + duplicates.size();
    StringBuilder s = new StringBuilder(String.format(
        "%d attempted, %d acknowledged, %d failed, %d indeterminate (%d recovered), %d present: "
            + "%d lost, %d unexpected, %d failed-but-present",
        n.attempted(), n.acknowledged(), n.failed(), n.indeterminate(), n.recovered(), n.present(), n.lost(),
        n.unexpected(), n.failedPresent()));
    if (!duplicates.isEmpty()) {
      s.append(", ").append(duplicates.size()).append(" paths attempted twice");
    }
    if (!lost.isEmpty()) {
      s.append("; first lost: ").append(byPath.get(lost.get(0)));
    } else if (!unexpected.isEmpty()) {
      s.append("; first unexpected: ").append(unexpected.get(0)).append(" was never attempted");
    } else if (!failedPresent.isEmpty()) {
      s.append("; first failed-but-present: ").append(byPath.get(failedPresent.get(0)));
    } else if (!duplicates.isEmpty()) {
      s.append("; first attempted twice: ").append(duplicates.get(0)).append(" (creates must be unique)");
    }
    return new CheckResult("no-lost-writes", anomalies == 0, byPath.size(), anomalies, s.toString());
  }
}
