package coord.it.check;

import coord.it.history.Operation;
import java.util.List;

/**
 * Why a partition is not linearizable: the longest partial linearization the search found, the
 * state it leads to, and the operations that could not come next.
 *
 * @param linearized the longest sequence of operations the search could linearize, in order
 * @param stateAfter the model state after {@code linearized}
 * @param stuck the first operation (by return time) that is not in {@code linearized}: it had to
 *     be linearized before its return, and no order allowed it
 * @param candidates operations not in {@code linearized} whose call precedes {@code stuck}'s return,
 *     each with the model's answer in {@code stateAfter} (at most {@link #MAX_CANDIDATES})
 */
public record Explanation(
    List<Operation> linearized, String stateAfter, Operation stuck, List<String> candidates) {
  static final int MAX_CANDIDATES = 12;
  static final int MAX_PREFIX_SHOWN = 20;

  /** A multi-line, human-readable rendering. */
  public String render() {
    StringBuilder s = new StringBuilder();
    s.append("longest linearizable prefix: ").append(linearized.size()).append(" ops");
    int from = Math.max(0, linearized.size() - MAX_PREFIX_SHOWN);
    if (from > 0) {
      s.append(" (last ").append(MAX_PREFIX_SHOWN).append(" shown)");
    }
    s.append('\n');
    for (int i = from; i < linearized.size(); i++) {
      s.append("  ").append(i + 1).append(". ").append(linearized.get(i)).append('\n');
    }
    s.append("state after prefix: ").append(stateAfter).append('\n');
    s.append("cannot linearize: ").append(stuck).append('\n');
    s.append("candidates to come next:\n");
    for (String c : candidates) {
      s.append("  ").append(c).append('\n');
    }
    return s.toString();
  }
}
