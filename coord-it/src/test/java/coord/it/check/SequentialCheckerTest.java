package coord.it.check;

import static org.assertj.core.api.Assertions.assertThat;

import coord.it.workload.CheckResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SequentialCheckerTest {
  private final SequentialChecker checker = new SequentialChecker();

  private static SequentialCreate ok(int p, String data, String name, long zxid) {
    return new SequentialCreate(p, data, "OK", null, name, zxid, zxid, zxid + 1);
  }

  private static SequentialCreate unknown(int p, String data) {
    return new SequentialCreate(p, data, "INDETERMINATE", null, null, null, 100, null);
  }

  private final List<SequentialCreate> creates = List.of(
      ok(0, "p0-0", "n-0000000000", 10),
      ok(1, "p1-0", "n-0000000001", 11),
      unknown(0, "p0-1"),
      ok(1, "p1-1", "n-0000000003", 13));

  @Test
  void acknowledgedPresentInZxidOrderPasses() {
    CheckResult r = checker.check(creates, Map.of(
        "n-0000000000", "p0-0", "n-0000000001", "p1-0", "n-0000000002", "p0-1", "n-0000000003", "p1-1"));
    assertThat(r.ok()).as(r.summary()).isTrue();
    assertThat(r.summary()).contains("3 acknowledged, 1 indeterminate", "4 children");
  }

  @Test
  void anIndeterminateCreateMayBeAbsent() {
    CheckResult r = checker.check(creates, Map.of(
        "n-0000000000", "p0-0", "n-0000000001", "p1-0", "n-0000000003", "p1-1"));
    assertThat(r.ok()).as(r.summary()).isTrue();
  }

  @Test
  void aNameReturnedTwiceIsADuplicate() {
    List<SequentialCreate> dup = new ArrayList<>(creates);
    dup.add(ok(2, "p2-0", "n-0000000001", 14));
    CheckResult r = checker.check(dup, Map.of(
        "n-0000000000", "p0-0", "n-0000000001", "p1-0", "n-0000000003", "p1-1"));
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: duplicate name n-0000000001");
  }

  @Test
  void anAbsentAcknowledgedNameIsLost() {
    CheckResult r = checker.check(creates, Map.of("n-0000000000", "p0-0", "n-0000000003", "p1-1"));
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: lost: acknowledged", "p1-0");
  }

  @Test
  void anIndeterminateCreateAppliedTwiceIsCaught() {
    CheckResult r = checker.check(creates, Map.of("n-0000000000", "p0-0", "n-0000000001", "p1-0",
        "n-0000000002", "p0-1", "n-0000000003", "p1-1", "n-0000000004", "p0-1"));
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("applied twice: 'p0-1'");
  }

  @Test
  void aChildNoCreateWroteIsUnexpected() {
    CheckResult r = checker.check(creates, Map.of("n-0000000000", "p0-0", "n-0000000001", "p1-0",
        "n-0000000003", "p1-1", "n-0000000009", "stranger"));
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: unexpected: n-0000000009 holds 'stranger'");
  }

  @Test
  void sequenceNumbersMustFollowZxidOrder() {
    List<SequentialCreate> swapped = List.of(ok(0, "a", "n-0000000001", 10), ok(1, "b", "n-0000000000", 11));
    CheckResult r = checker.check(swapped, Map.of("n-0000000001", "a", "n-0000000000", "b"));
    assertThat(r.ok()).isFalse();
    assertThat(r.anomalies()).isEqualTo(1);
    assertThat(r.summary()).contains("first: order:");
  }

  @Test
  void aLostCreateAlsoBreaksTheCount() {
    // The count cannot fail alone: fewer children than acknowledged creates means one is lost.
    List<SequentialCreate> one = List.of(ok(0, "a", "n-0000000000", 10));
    CheckResult r = checker.check(one, Map.of());
    assertThat(r.ok()).isFalse();
    assertThat(r.anomalies()).isEqualTo(2);
    assertThat(r.summary()).contains("first: lost: acknowledged");
  }
}
