package coord.it.workload;

import static org.assertj.core.api.Assertions.assertThat;

import coord.it.check.Budget;
import coord.it.history.Input;
import coord.it.history.OpType;
import coord.it.history.Operation;
import coord.it.history.Outcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link RegisterWorkload#checkLinearizable} as a CheckResult. */
class RegisterCheckTest {

  private static Operation op(int p, OpType type, String value, Outcome out, long call, long ret) {
    return new Operation(p, type, "/r", new Input(value, type == OpType.SET ? -1 : null), out, call, ret);
  }

  @Test
  void aLinearizableHistoryPasses() {
    CheckResult r = RegisterWorkload.checkLinearizable(List.of(
        op(0, OpType.CREATE, "a", Outcome.okVersion(0), 0, 10),
        op(1, OpType.SET, "b", Outcome.okVersion(1), 11, 20),
        op(2, OpType.GET, null, Outcome.okValue("b", 1), 21, 30)));
    assertThat(r.ok()).as(r.summary()).isTrue();
    assertThat(r.checker()).isEqualTo("linearizable");
    assertThat(r.operations()).isEqualTo(3);
    assertThat(r.summary()).startsWith("OK: 3 ops in 1 partitions, 0 violations, 0 unknown");
  }

  @Test
  void aStaleReadIsAViolationWithItsExplanationOnOneLine() {
    CheckResult r = RegisterWorkload.checkLinearizable(List.of(
        op(0, OpType.CREATE, "a", Outcome.okVersion(0), 0, 10),
        op(1, OpType.SET, "b", Outcome.okVersion(1), 11, 20),
        op(2, OpType.GET, null, Outcome.okValue("a", 0), 21, 30)));
    assertThat(r.ok()).isFalse();
    assertThat(r.anomalies()).isEqualTo(1);
    assertThat(r.summary()).contains("VIOLATION", "first: /r: VIOLATION", "cannot linearize: p2 GET /r")
        .doesNotContain("\n");
  }

  @Test
  void anUnknownVerdictFailsTheCheck() {
    CheckResult r = RegisterWorkload.checkLinearizable(List.of(
        op(0, OpType.CREATE, "a", Outcome.okVersion(0), 0, 10),
        op(1, OpType.SET, "b", Outcome.okVersion(1), 11, 20),
        op(2, OpType.GET, null, Outcome.okValue("b", 1), 21, 30)), new Budget(Duration.ofSeconds(10), 1));
    assertThat(r.ok()).as(r.summary()).isFalse();
    assertThat(r.anomalies()).isEqualTo(1);
    assertThat(r.summary()).startsWith("UNKNOWN:").contains("1 unknown", "first: /r: UNKNOWN");
  }
}
