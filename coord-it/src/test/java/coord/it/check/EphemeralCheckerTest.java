package coord.it.check;

import static org.assertj.core.api.Assertions.assertThat;

import coord.it.fault.FaultLog;
import coord.it.workload.CheckResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Times are in milliseconds of a made-up clock, converted to nanos. Timeout 4 s, grace 4 s. */
class EphemeralCheckerTest {
  private static final Duration GRACE = Duration.ofSeconds(4);
  private static final long STOP = s(100);
  private final EphemeralChecker checker = new EphemeralChecker();

  private static long s(double seconds) {
    return (long) (seconds * 1e9);
  }

  /** Session 1 lives, 2 dies at 1 s (deleted at 6 s), 3 sees EXPIRED at 9 s. */
  private static List<SessionRecord> good() {
    return new ArrayList<>(List.of(
        SessionRecord.open(0, 1, 4000, s(0)),
        SessionRecord.create(0, 1, "/e/1a", "OK", null, s(0.1)),
        SessionRecord.create(0, 1, "/e/1b", "INDETERMINATE", null, s(0.2)),
        SessionRecord.state(0, 1, "SUSPENDED", s(3)),
        SessionRecord.state(0, 1, "RECONNECTED", s(4)),
        SessionRecord.open(1, 2, 4000, s(0)),
        SessionRecord.create(1, 2, "/e/2a", "OK", null, s(0.1)),
        SessionRecord.create(1, 2, "/e/2b", "FAIL", "SESSION_EXPIRED", s(0.2)),
        SessionRecord.death(1, 2, s(1)),
        SessionRecord.deleted("/e/2a", s(6)),
        SessionRecord.open(2, 3, 4000, s(0)),
        SessionRecord.create(2, 3, "/e/3a", "OK", null, s(0.1)),
        SessionRecord.state(2, 3, "SUSPENDED", s(2)),
        SessionRecord.deleted("/e/3a", s(7)),
        SessionRecord.state(2, 3, "EXPIRED", s(9)),
        SessionRecord.finalOwner("/e/1a", 1),
        SessionRecord.finalOwner("/e/1b", 0),
        SessionRecord.finalOwner("/e/2a", 0),
        SessionRecord.finalOwner("/e/2b", 0),
        SessionRecord.finalOwner("/e/3a", 0)));
  }

  private CheckResult check(List<SessionRecord> records) {
    return checker.check(records, new FaultLog(), GRACE, STOP);
  }

  private static void replaceFinal(List<SessionRecord> records, String path, long owner) {
    records.removeIf(r -> r.kind().equals("FINAL") && r.path().equals(path));
    records.add(SessionRecord.finalOwner(path, owner));
  }

  private static void replaceDeleted(List<SessionRecord> records, String path, double at) {
    records.removeIf(r -> r.kind().equals("DELETED") && r.path().equals(path));
    records.add(SessionRecord.deleted(path, s(at)));
  }

  @Test
  void eachFateKeepsItsRulesPasses() {
    CheckResult r = check(good());
    assertThat(r.ok()).as(r.summary()).isTrue();
    assertThat(r.operations()).isEqualTo(5);
    assertThat(r.summary()).contains("3 sessions {live=1, died=1, expired=1}", "5 ephemerals (3 acknowledged)", "1 deletions timed (max 5000 ms");
  }

  @Test
  void aLiveSessionThatLostItsEphemeralIsPremature() {
    List<SessionRecord> records = good();
    replaceFinal(records, "/e/1a", 0);
    CheckResult r = check(records);
    assertThat(r.ok()).isFalse();
    assertThat(r.anomalies()).isEqualTo(1);
    assertThat(r.summary()).contains("first: premature deletion: acknowledged OK create /e/1a of live session 0x1");
  }

  @Test
  void aDeadSessionsEphemeralThatStaysIsNeverDeleted() {
    List<SessionRecord> records = good();
    replaceFinal(records, "/e/2a", 2);
    records.removeIf(r -> r.kind().equals("DELETED") && r.path().equals("/e/2a"));
    CheckResult r = check(records);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: never deleted: OK create /e/2a of session 0x2");
  }

  @Test
  void aDeletionPastTimeoutPlusGraceIsLate() {
    List<SessionRecord> records = good();
    replaceDeleted(records, "/e/2a", 9.5);
    CheckResult r = check(records);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: late deletion: OK create /e/2a", "8500 ms after its client died",
        "bound 8000 ms");
  }

  @Test
  void aFaultDuringTheWaitMovesTheDeadline() {
    List<SessionRecord> records = good();
    replaceDeleted(records, "/e/2a", 20);
    FaultLog faults = new FaultLog();
    faults.add(new FaultLog.Episode("kill", List.of(1), s(2), s(15), -1));
    CheckResult r = checker.check(records, faults, GRACE, STOP);
    assertThat(r.ok()).as(r.summary()).isTrue();
    assertThat(checker.check(records, new FaultLog(), GRACE, STOP).ok()).isFalse();
  }

  @Test
  void aDeathTooCloseToTheEndIsNotTimed() {
    List<SessionRecord> records = good();
    replaceDeleted(records, "/e/2a", 30);
    assertThat(checker.check(records, new FaultLog(), GRACE, s(5)).ok()).isTrue();
  }

  @Test
  void aDeletionBeforeDeathWhileConnectedIsPremature() {
    List<SessionRecord> records = good();
    replaceDeleted(records, "/e/2a", 0.5);
    CheckResult r = check(records);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: premature deletion: OK create /e/2a of session 0x2",
        "before its client died, while CONNECTED");
  }

  @Test
  void anExpiredSessionsEphemeralThatStaysOutlivedIt() {
    List<SessionRecord> records = good();
    replaceFinal(records, "/e/3a", 3);
    CheckResult r = check(records);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: OK create /e/3a outlived its session 0x3");
  }

  @Test
  void aLiveSessionStillSuspendedAtTheEndIsInconclusive() {
    List<SessionRecord> records = good();
    records.add(SessionRecord.state(0, 1, "SUSPENDED", s(50)));
    CheckResult r = check(records);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: live session 0x1 (slot 0, live) is still SUSPENDED");
  }

  @Test
  void aDefinitelyFailedCreateThatExistsFails() {
    List<SessionRecord> records = good();
    replaceFinal(records, "/e/2b", 2);
    CheckResult r = check(records);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("definitely failed FAIL create /e/2b");
  }

  @Test
  void anUnobservedDeletionFailsUnlessTheObserverEnded() {
    List<SessionRecord> records = good();
    records.removeIf(r -> r.kind().equals("DELETED") && r.path().equals("/e/2a"));
    CheckResult r = check(records);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: unobserved deletion: OK create /e/2a");
    records.add(SessionRecord.observerEnded(s(0.5)));
    assertThat(check(records).ok()).isTrue();
  }
}
