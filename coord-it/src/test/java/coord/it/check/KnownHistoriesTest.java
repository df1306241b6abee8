package coord.it.check;

import static coord.it.check.Ops.p;
import static org.assertj.core.api.Assertions.assertThat;

import coord.it.history.Operation;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Hand-written histories with known verdicts. Times are abstract ticks. */
class KnownHistoriesTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  private CheckReport check(Operation... ops) {
    return checker.check(List.of(ops));
  }

  private void assertOk(Operation... ops) {
    CheckReport r = check(ops);
    assertThat(r.verdict()).as(r.render()).isEqualTo(Verdict.OK);
  }

  private CheckReport assertViolation(Operation... ops) {
    CheckReport r = check(ops);
    assertThat(r.verdict()).as(r.render()).isEqualTo(Verdict.VIOLATION);
    PartitionResult bad = r.violations().get(0);
    assertThat(bad.explanation()).isNotNull();
    assertThat(bad.explanation().render()).contains("cannot linearize");
    return r;
  }

  // ---- known-good ----

  @Test
  @DisplayName("empty history is linearizable")
  void empty() {
    assertThat(checker.check(List.of()).verdict()).isEqualTo(Verdict.OK);
  }

  @Test
  @DisplayName("sequential create, set, get, delete with ZooKeeper versions")
  void sequential() {
    assertOk(
        p(1).get("/a").fails("NO_NODE").at(0, 1),
        p(1).create("/a", "x").okVersion(0).at(2, 3),
        p(1).create("/a", "y").fails("NODE_EXISTS").at(4, 5),
        p(1).get("/a").reads("x", 0).at(6, 7),
        p(1).set("/a", "y", 0).okVersion(1).at(8, 9),
        p(1).set("/a", "z", 0).fails("BAD_VERSION").at(10, 11),
        p(1).set("/a", "z", -1).okVersion(2).at(12, 13),
        p(1).delete("/a", 1).fails("BAD_VERSION").at(14, 15),
        p(1).get("/a").reads("z", 2).at(16, 17),
        p(1).delete("/a", 2).ok().at(18, 19),
        p(1).get("/a").readsAbsent().at(20, 21),
        p(1).set("/a", "w", -1).fails("NO_NODE").at(22, 23),
        p(1).delete("/a", -1).fails("NO_NODE").at(24, 25),
        p(1).create("/a", "again").okVersion(0).at(26, 27),
        p(1).get("/a").reads("again", 0).at(28, 29));
  }

  @Test
  @DisplayName("concurrent overlapping writes: a later read may see either")
  void concurrentWritesReadSeesEither() {
    Operation create = p(0).create("/a", "init").ok().at(0, 1);
    Operation w1 = p(1).set("/a", "x", -1).ok().at(10, 30);
    Operation w2 = p(2).set("/a", "y", -1).ok().at(12, 28);
    assertOk(create, w1, w2, p(3).get("/a").reads("x", 2).at(40, 41));
    assertOk(create, w1, w2, p(3).get("/a").reads("y", 2).at(40, 41));
    // a read concurrent with both may also see the first one to land, at version 1
    assertOk(create, w1, w2, p(3).get("/a").reads("y", 1).at(15, 20));
  }

  @Test
  @DisplayName("reads during a write see old then new")
  void readsDuringWrite() {
    assertOk(
        p(0).create("/a", "old").ok().at(0, 1),
        p(1).set("/a", "new", 0).okVersion(1).at(10, 50),
        p(2).get("/a").reads("old", 0).at(12, 14),
        p(2).get("/a").reads("new", 1).at(16, 18),
        p(3).get("/a").reads("new", 1).at(20, 22));
  }

  @Test
  @DisplayName("touching intervals count as concurrent")
  void touchingIntervals() {
    assertOk(
        p(0).create("/a", "old").ok().at(0, 1),
        p(1).set("/a", "new", -1).ok().at(10, 20),
        p(2).get("/a").reads("old", 0).at(20, 25));
  }

  @Test
  @DisplayName("indeterminate write later observed took effect")
  void indeterminateObserved() {
    assertOk(
        p(0).create("/a", "old").ok().at(0, 1),
        p(1).set("/a", "lost?", -1).indeterminateAt(10),
        p(2).get("/a").reads("old", 0).at(20, 21),
        // takes effect long after the client gave up
        p(2).get("/a").reads("lost?", 1).at(100, 101),
        p(3).set("/a", "after", 1).okVersion(2).at(110, 111));
  }

  @Test
  @DisplayName("indeterminate writes never observed never took effect")
  void indeterminateNeverObserved() {
    assertOk(
        p(0).create("/a", "old").ok().at(0, 1),
        p(1).set("/a", "maybe", -1).indeterminateAt(10),
        p(1).create("/b", "maybe").indeterminateAt(10),
        p(2).delete("/a", -1).indeterminateAt(12),
        p(3).get("/a").reads("old", 0).at(20, 21),
        p(3).get("/b").fails("NO_NODE").at(20, 21),
        p(3).set("/a", "mine", 0).okVersion(1).at(30, 31));
  }

  @Test
  @DisplayName("failures that depend on other paths are ignored, not checked")
  void unmodelledFailuresIgnored() {
    CheckReport r = check(
        p(1).create("/a/b", "x").fails("NO_NODE").at(0, 1),
        p(1).delete("/a", -1).fails("NOT_EMPTY").at(2, 3),
        p(1).get("/a").indeterminateAt(4),
        p(1).create("/a", "x").ok().at(5, 6));
    assertThat(r.verdict()).isEqualTo(Verdict.OK);
    assertThat(r.partitions()).extracting(PartitionResult::ignored).containsExactly(2, 1);
  }

  // ---- known-bad ----

  @Test
  @DisplayName("stale read after a completed write")
  void staleRead() {
    CheckReport r = assertViolation(
        p(0).create("/a", "0").ok().at(0, 1),
        p(1).set("/a", "100", -1).ok().at(10, 20),
        p(2).get("/a").reads("0", 0).at(30, 40));
    String text = r.violations().get(0).explanation().render();
    System.out.println(r.render());
    assertThat(text).contains("GET /a").contains("'100'@1");
  }

  @Test
  @DisplayName("lost acknowledged write: a created node later reads as absent without a delete")
  void lostAcknowledgedWrite() {
    assertViolation(
        p(1).create("/a", "x").ok().at(0, 10),
        p(2).get("/a").fails("NO_NODE").at(20, 30));
    assertViolation(
        p(0).create("/a", "v0").ok().at(0, 1),
        p(1).set("/a", "v1", -1).okVersion(1).at(10, 20),
        p(2).set("/a", "v2", 1).fails("BAD_VERSION").at(30, 40));
  }

  @Test
  @DisplayName("read of a value never written")
  void readOfUnwrittenValue() {
    assertViolation(
        p(0).create("/a", "x").ok().at(0, 10),
        p(1).get("/a").reads("ghost", 0).at(5, 20));
  }

  @Test
  @DisplayName("version going backwards between sequential reads")
  void versionBackwards() {
    assertViolation(
        p(0).create("/a", "x").ok().at(0, 1),
        p(1).set("/a", "y", -1).indeterminateAt(5),
        p(1).set("/a", "z", -1).indeterminateAt(6),
        p(2).get("/a").reads("z", 2).at(10, 11),
        p(2).get("/a").reads("y", 1).at(12, 13));
  }

  @Test
  @DisplayName("two concurrent creates both OK")
  void doubleCreate() {
    assertViolation(
        p(1).create("/a", "x").ok().at(0, 10),
        p(2).create("/a", "y").ok().at(2, 12));
  }

  @Test
  @DisplayName("a definite failure that took effect")
  void definiteFailureApplied() {
    assertViolation(
        p(0).create("/a", "x").ok().at(0, 1),
        p(1).set("/a", "y", 5).fails("BAD_VERSION").at(10, 11),
        p(2).get("/a").reads("y", 1).at(20, 21));
  }

  @Test
  @DisplayName("new-old inversion: two sequential reads during one write")
  void newOldInversion() {
    assertViolation(
        p(0).create("/a", "old").ok().at(0, 1),
        p(1).set("/a", "new", -1).ok().at(10, 50),
        p(2).get("/a").reads("new", 1).at(12, 14),
        p(2).get("/a").reads("old", 0).at(16, 18));
  }

  @Test
  @DisplayName("wrong version in a SET response")
  void wrongSetVersion() {
    assertViolation(
        p(0).create("/a", "x").ok().at(0, 1),
        p(1).set("/a", "y", -1).okVersion(5).at(2, 3));
  }

  @Test
  @DisplayName("an indeterminate write takes effect at most once")
  void indeterminateAtMostOnce() {
    assertViolation(
        p(0).create("/a", "x").ok().at(0, 1),
        p(1).set("/a", "y", -1).indeterminateAt(5),
        p(2).get("/a").reads("y", 1).at(10, 11),
        p(2).set("/a", "z", -1).okVersion(2).at(12, 13),
        p(2).get("/a").reads("y", 3).at(14, 15));
  }

  @Test
  @DisplayName("an indeterminate write cannot take effect before its call")
  void indeterminateNotBeforeCall() {
    assertViolation(
        p(0).create("/a", "x").ok().at(0, 1),
        p(2).get("/a").reads("y", 1).at(10, 11),
        p(1).set("/a", "y", -1).indeterminateAt(20));
  }

  @Test
  @DisplayName("the report names the failing partition only")
  void reportsPartition() {
    CheckReport r = check(
        p(1).create("/good", "x").ok().at(0, 10),
        p(2).get("/good").reads("x", 0).at(20, 30),
        p(1).create("/bad", "x").ok().at(0, 10),
        p(2).get("/bad").fails("NO_NODE").at(20, 30));
    assertThat(r.verdict()).isEqualTo(Verdict.VIOLATION);
    assertThat(r.violations()).extracting(PartitionResult::path).containsExactly("/bad");
    Explanation e = r.violations().get(0).explanation();
    assertThat(e.linearized()).hasSize(1);
    assertThat(e.stateAfter()).isEqualTo("'x'@0");
    assertThat(e.stuck().op()).hasToString("GET");
    assertThat(r.render()).contains("/bad: VIOLATION").doesNotContain("/good: ");
  }
}
