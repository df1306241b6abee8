package coord.it.check;

import static coord.it.check.Ops.p;
import static org.assertj.core.api.Assertions.assertThat;

import coord.it.history.Operation;
import coord.it.workload.CheckResult;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SetCheckerTest {
  private final SetChecker checker = new SetChecker();

  private final List<Operation> history = List.of(
      p(0).create("/s/a", "/s/a").ok().at(0, 10),
      p(1).create("/s/b", "/s/b").ok().at(5, 15),
      p(0).create("/s/c", "/s/c").indeterminateAt(20),
      p(2).create("/s/d", "/s/d").indeterminateAt(25),
      p(1).create("/s/e", "/s/e").fails("INVALID_PATH").at(30, 31));

  @Test
  void everyAcknowledgedPresentAndIndeterminateEitherWayPasses() {
    CheckResult r = checker.check(history, Set.of("/s/a", "/s/b", "/s/c"));
    assertThat(r.ok()).as(r.summary()).isTrue();
    assertThat(r.operations()).isEqualTo(5);
    assertThat(r.anomalies()).isZero();
    assertThat(r.summary()).contains("2 acknowledged", "2 indeterminate (1 recovered)", "0 lost");
  }

  @Test
  void aMissingAcknowledgedCreateIsLost() {
    CheckResult r = checker.check(history, Set.of("/s/a", "/s/c", "/s/d"));
    assertThat(r.ok()).isFalse();
    assertThat(r.anomalies()).isEqualTo(1);
    assertThat(r.summary()).contains("1 lost", "first lost: p1 CREATE /s/b");
  }

  @Test
  void aChildNeverAttemptedIsUnexpected() {
    CheckResult r = checker.check(history, Set.of("/s/a", "/s/b", "/s/zzz"));
    assertThat(r.ok()).isFalse();
    assertThat(r.anomalies()).isEqualTo(1);
    assertThat(r.summary()).contains("1 unexpected", "/s/zzz was never attempted");
  }

  @Test
  void aDefinitelyFailedCreateThatExistsIsAnAnomaly() {
    CheckResult r = checker.check(history, Set.of("/s/a", "/s/b", "/s/e"));
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("1 failed-but-present", "p1 CREATE /s/e");
  }
}
