package coord.it.check;

import static coord.it.check.Ops.p;
import static org.assertj.core.api.Assertions.assertThat;

import coord.it.history.Operation;
import coord.it.history.Outcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObservedWritesTest {

  @Test
  void observedIndeterminateWriteBecomesOkAtFirstObservation() {
    List<Operation> ops = List.of(
        p(1).set("/a", "v", -1).indeterminateAt(10),
        p(2).get("/a").reads("v", 1).at(50, 60),
        p(3).get("/a").reads("v", 1).at(30, 40));
    ObservedWrites.Patched r = ObservedWrites.patch(ops);
    assertThat(r.patched()).isEqualTo(1);
    Operation w = r.ops().get(0);
    assertThat(w.outcome()).isEqualTo(Outcome.ok());
    assertThat(w.callNanos()).isEqualTo(10);
    assertThat(w.returnNanos()).isEqualTo(40);
    assertThat(r.ops().subList(1, 3)).isEqualTo(ops.subList(1, 3));
  }

  @Test
  void leavesAmbiguousOrImpossibleObservationsAlone() {
    List<Operation> ops = List.of(
        p(1).set("/a", "dup", -1).indeterminateAt(10),
        p(4).create("/a", "dup").indeterminateAt(10),
        p(2).get("/a").reads("dup", 1).at(50, 60),
        p(3).get("/a").reads("early", 0).at(1, 2),
        p(1).set("/a", "early", -1).indeterminateAt(10),
        p(1).set("/a", "unseen", -1).indeterminateAt(10),
        p(1).delete("/a", -1).indeterminateAt(10));
    ObservedWrites.Patched r = ObservedWrites.patch(ops);
    assertThat(r.patched()).isZero();
    assertThat(r.ops()).isEqualTo(ops);
  }

  @Test
  void checkerReportsPatchedCount() {
    CheckReport r = new LinearizabilityChecker().check(List.of(
        p(0).create("/a", "x").ok().at(0, 1),
        p(1).set("/a", "y", -1).indeterminateAt(5),
        p(2).get("/a").reads("y", 1).at(10, 11)));
    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(r.partitions().get(0).patched()).isEqualTo(1);
  }
}
