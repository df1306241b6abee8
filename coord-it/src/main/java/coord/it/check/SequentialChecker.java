package coord.it.check;

import coord.it.workload.CheckResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Sequential names under one parent. Each create writes unique data, so the final tree (child name ->
 * data) tells which creates took effect. Violations:
 *
 * <ul>
 *   <li><b>duplicate name</b>: two acknowledged creates were given the same name;
 *   <li><b>lost</b>: an acknowledged create's name is absent at the end, or holds other data;
 *   <li><b>applied twice</b>: one create's data is in two children (a retried create applied again);
 *   <li><b>unexpected</b>: a child whose data no create wrote, or a definitely failed create's data;
 *   <li><b>order</b>: acknowledged creates sorted by zxid do not have strictly increasing sequence numbers;
 *   <li><b>count</b>: the children are not between acknowledged and acknowledged + indeterminate.
 * </ul>
 */
public final class SequentialChecker {

  /**
   * @param creates every recorded create
   * @param finalChildren child name -> data, from the final linearizable reads
   */
  public CheckResult check(List<SequentialCreate> creates, Map<String, String> finalChildren) {
    List<String> violations = new ArrayList<>();
    Map<String, SequentialCreate> byName = new HashMap<>();
    Map<String, SequentialCreate> byData = new HashMap<>();
    int acked = 0;
    int indeterminate = 0;
    for (SequentialCreate c : creates) {
      if (byData.put(c.data(), c) != null) {
        violations.add("data written by two creates (must be unique): " + c);
      }
      if (c.indeterminate()) {
        indeterminate++;
      }
      if (!c.ok()) {
        continue;
      }
      acked++;
      SequentialCreate other = byName.put(c.name(), c);
      if (other != null) {
        violations.add("duplicate name " + c.name() + " returned to " + other + " and " + c);
      }
      String found = finalChildren.get(c.name());
      if (found == null) {
        violations.add("lost: acknowledged " + c + " is absent");
      } else if (!found.equals(c.data())) {
        violations.add("lost: acknowledged " + c + " but " + c.name() + " holds '" + found + "'");
      }
    }
    Map<String, String> childOfData = new HashMap<>();
    for (Map.Entry<String, String> child : finalChildren.entrySet()) {
      SequentialCreate c = byData.get(child.getValue());
      String earlier = childOfData.put(child.getValue(), child.getKey());
      if (earlier != null) {
        violations.add("applied twice: '" + child.getValue() + "' is in " + earlier + " and " + child.getKey());
      }
      if (c == null) {
        violations.add("unexpected: " + child.getKey() + " holds '" + child.getValue() + "', which no create wrote");
      } else if (c.failed()) {
        violations.add("unexpected: " + child.getKey() + " holds the data of definitely failed " + c);
      }
    }
    List<SequentialCreate> inZxidOrder = creates.stream().filter(SequentialCreate::ok)
        .filter(c -> c.zxid() != null).sorted(Comparator.comparingLong(SequentialCreate::zxid)).toList();
    for (int i = 1; i < inZxidOrder.size(); i++) {
      SequentialCreate a = inZxidOrder.get(i - 1);
      SequentialCreate b = inZxidOrder.get(i);
      if (sequence(b.name()) <= sequence(a.name())) {
        violations.add("order: " + b + " has a sequence number not above that of the earlier " + a);
      }
    }
    int children = finalChildren.size();
    if (children < acked || children > acked + indeterminate) {
      violations.add("count: " + children + " children, but " + acked + " acknowledged and " + indeterminate
          + " indeterminate creates");
    }
    String summary = String.format("%d creates (%d acknowledged, %d indeterminate), %d children: %d violations",
        creates.size(), acked, indeterminate, children, violations.size());
    if (!violations.isEmpty()) {
      summary += "; first: " + violations.get(0);
    }
    return new CheckResult("sequential-unique", violations.isEmpty(), creates.size(), violations.size(), summary);
  }

  /** The sequence number of a sequential name: its trailing digits. */
  static long sequence(String name) {
    int i = name.length();
    while (i > 0 && Character.isDigit(name.charAt(i - 1))) {
      i--;
    }
    if (i == name.length()) {
      throw new IllegalArgumentException("not a sequential name: " + name);
    }
    return Long.parseLong(name.substring(i));
  }
}
