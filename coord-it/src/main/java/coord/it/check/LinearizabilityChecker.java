package coord.it.check;

import coord.it.history.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a recorded history against {@link ZnodeRegisterModel}, one znode path at a time.
 *
 * <p>Operations on different paths are independent under the model, so the history is
 * linearizable iff each path's sub-history is (Horn &amp; Kroening's P-compositionality). Each
 * partition is searched by {@link WglSearch} within the {@link Budget}; running out gives {@link
 * Verdict#UNKNOWN} for that partition rather than a hang.
 *
 * <p>Stateless apart from its budget; thread-safe.
 */
public final class LinearizabilityChecker {
  private final Budget budget;
  private final boolean patchObservedWrites;
  private final ZnodeRegisterModel model = new ZnodeRegisterModel();

  /**
   * @param budget per-partition search limit
   * @param patchObservedWrites apply {@link ObservedWrites} before searching (same verdict, less
   *     search); off only to test that claim
   */
  public LinearizabilityChecker(Budget budget, boolean patchObservedWrites) {
    this.budget = budget;
    this.patchObservedWrites = patchObservedWrites;
  }

  public LinearizabilityChecker(Budget budget) {
    this(budget, true);
  }

  public LinearizabilityChecker() {
    this(Budget.DEFAULT);
  }

  /** Checks every path of {@code history}; operation order in the list does not matter. */
  public CheckReport check(List<Operation> history) {
    long start = System.nanoTime();
    Map<String, List<Operation>> byPath = new TreeMap<>();
    for (Operation op : history) {
      byPath.computeIfAbsent(op.path(), p -> new ArrayList<>()).add(op);
    }
    List<PartitionResult> results = new ArrayList<>(byPath.size());
    for (Map.Entry<String, List<Operation>> e : byPath.entrySet()) {
      results.add(checkPartition(e.getKey(), e.getValue()));
    }
    return new CheckReport(results, System.nanoTime() - start);
  }

  /** Checks the operations of one path. */
  public PartitionResult checkPartition(String path, List<Operation> ops) {
    long start = System.nanoTime();
    List<Operation> relevant = new ArrayList<>(ops.size());
    for (Operation op : ops) {
      if (!op.path().equals(path)) {
        throw new IllegalArgumentException("operation on " + op.path() + " in partition " + path);
      }
      if (ZnodeRegisterModel.isRelevant(op)) {
        relevant.add(op);
      }
    }
    int patched = 0;
    if (patchObservedWrites) {
      ObservedWrites.Patched p = ObservedWrites.patch(relevant);
      relevant = p.ops();
      patched = p.patched();
    }
    WglSearch.Outcome out = new WglSearch<>(relevant, model, budget).run();
    return new PartitionResult(
        path,
        out.verdict(),
        relevant.size(),
        ops.size() - relevant.size(),
        patched,
        out.steps(),
        System.nanoTime() - start,
        out.explanation());
  }
}
