package coord.it.check;

import static coord.it.check.Ops.p;
import static org.assertj.core.api.Assertions.assertThat;

import coord.it.history.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A pathological partition must end in UNKNOWN within the budget, not hang. */
class BudgetTest {

  /**
   * 40 mutually concurrent blind writes followed by a read of a value nobody wrote: refuting it
   * means trying every subset and order of the writes (about 40 * 2^39 memoised states).
   */
  private static List<Operation> pathological() {
    List<Operation> ops = new ArrayList<>();
    ops.add(p(0).create("/hard", "init").ok().at(0, 1));
    for (int i = 0; i < 40; i++) {
      ops.add(p(i + 1).set("/hard", "w" + i, -1).ok().at(10 + i, 1_000 + i));
    }
    ops.add(p(99).get("/hard").reads("never-written", 40).at(2_000, 2_001));
    ops.add(p(0).create("/easy", "x").ok().at(0, 1));
    return ops;
  }

  @Test
  @Timeout(10)
  void timeBudgetGivesUnknown() {
    LinearizabilityChecker checker =
        new LinearizabilityChecker(new Budget(Duration.ofMillis(300), Long.MAX_VALUE));
    long start = System.nanoTime();
    CheckReport r = checker.check(pathological());
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(r.verdict()).as(r.render()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.isLinearizable()).isFalse();
    assertThat(r.unknown()).extracting(PartitionResult::path).containsExactly("/hard");
    assertThat(r.partitions()).filteredOn(x -> x.path().equals("/easy"))
        .extracting(PartitionResult::verdict).containsExactly(Verdict.OK);
    assertThat(millis).isLessThan(5_000);
  }

  @Test
  @Timeout(10)
  void stepBudgetGivesUnknown() {
    LinearizabilityChecker checker =
        new LinearizabilityChecker(new Budget(Duration.ofMinutes(1), 50_000));
    CheckReport r = checker.check(pathological());
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.unknown().get(0).steps()).isEqualTo(50_001);
  }

  @Test
  void violationOutranksUnknown() {
    List<Operation> ops = new ArrayList<>(pathological());
    ops.add(p(1).create("/bad", "x").ok().at(0, 1));
    ops.add(p(2).create("/bad", "y").ok().at(5, 6));
    CheckReport r = new LinearizabilityChecker(new Budget(Duration.ofMillis(100), 100_000))
        .check(ops);
    assertThat(r.verdict()).isEqualTo(Verdict.VIOLATION);
    assertThat(r.unknown()).hasSize(1);
    assertThat(r.violations()).hasSize(1);
  }
}
