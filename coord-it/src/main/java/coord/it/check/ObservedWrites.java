package coord.it.check;

import coord.it.history.OpType;
import coord.it.history.Operation;
import coord.it.history.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * etcd's history patch for one partition: an indeterminate CREATE or SET whose value a GET later
 * returned did take effect, no later than that GET's return.
 *
 * <p>It becomes an OK operation (no reported version) whose return is the earliest return of a GET
 * that read its value. This applies only to values written by exactly one operation of the
 * partition (the register workload writes unique values) and only when that return is not
 * before the write's call. The patch does not change the verdict: any linearization of the
 * original history puts the write before such a read, and vice versa. It cuts the search, because
 * a patched write no longer floats to +∞.
 */
final class ObservedWrites {
  private ObservedWrites() {}

  /** The patched partition and how many operations were patched. */
  record Patched(List<Operation> ops, int patched) {}

  static Patched patch(List<Operation> ops) {
    Map<String, Integer> writers = new HashMap<>();
    Map<String, Long> firstSeen = new HashMap<>();
    for (Operation op : ops) {
      if (op.op() == OpType.CREATE || op.op() == OpType.SET) {
        writers.merge(op.input().value(), 1, Integer::sum);
      } else if (op.op() == OpType.GET && op.outcome().isOk() && op.outcome().value() != null) {
        firstSeen.merge(op.outcome().value(), op.returnNanos(), Math::min);
      }
    }
    List<Operation> out = new ArrayList<>(ops.size());
    int patched = 0;
    for (Operation op : ops) {
      Long seen = op.isIndeterminate() && (op.op() == OpType.CREATE || op.op() == OpType.SET)
          && writers.get(op.input().value()) == 1
          ? firstSeen.get(op.input().value())
          : null;
      if (seen != null && seen >= op.callNanos()) {
        out.add(new Operation(op.process(), op.op(), op.path(), op.input(), Outcome.ok(),
            op.callNanos(), seen));
        patched++;
      } else {
        out.add(op);
      }
    }
    return new Patched(out, patched);
  }
}
