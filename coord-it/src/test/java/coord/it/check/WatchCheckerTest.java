package coord.it.check;

import static org.assertj.core.api.Assertions.assertThat;

import coord.it.workload.CheckResult;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchCheckerTest {
  private static final long START = 100;
  private static final long FINAL = 105;
  private final WatchChecker checker = new WatchChecker();

  private static WatchWrite write(String op, String path, Long zxid) {
    return new WatchWrite(0, op, path, "OK", null, zxid, 0, 1L);
  }

  /** Writes at zxids 101..105 (104 belongs to another workload's path outside the watch: none). */
  private final List<WatchWrite> writes = List.of(
      write("CREATE", "/w/a", 101L),
      write("SET", "/w/a", 102L),
      write("DELETE", "/w/a", null),
      new WatchWrite(0, "CREATE", "/w/b", "INDETERMINATE", null, null, 5, null),
      write("SET", "/w", 105L));

  /** What every watcher should see: 101, 102, 103 (the delete), 104 (the indeterminate create), 105. */
  private static List<WatchEventRecord> stream(int watcher) {
    return new ArrayList<>(List.of(
        ev(watcher, 0, 101, "NODE_CREATED", "/w/a"),
        ev(watcher, 1, 102, "NODE_DATA_CHANGED", "/w/a"),
        ev(watcher, 2, 103, "NODE_DELETED", "/w/a"),
        ev(watcher, 3, 104, "NODE_CREATED", "/w/b"),
        ev(watcher, 4, 105, "NODE_DATA_CHANGED", "/w")));
  }

  private static WatchEventRecord ev(int watcher, long batch, long zxid, String type, String path) {
    return new WatchEventRecord(watcher, batch, zxid, type, path, batch);
  }

  private CheckResult check(List<WatchEventRecord> w0, List<WatchEventRecord> w1) {
    List<WatchEventRecord> all = new ArrayList<>(w0);
    all.addAll(w1);
    return checker.check(writes, all, List.of(0, 1), "/w", START, FINAL);
  }

  @Test
  void identicalCompleteStreamsPass() {
    CheckResult r = check(stream(0), stream(1));
    assertThat(r.ok()).as(r.summary()).isTrue();
    assertThat(r.operations()).isEqualTo(5);
    assertThat(r.summary()).contains("2 watchers, 10 events (5 distinct zxids up to 105)", "0 gaps");
  }

  @Test
  void aMissingEventIsAGap() {
    List<WatchEventRecord> w1 = stream(1);
    w1.remove(3);
    CheckResult r = check(stream(0), w1);
    assertThat(r.ok()).isFalse();
    assertThat(r.anomalies()).isEqualTo(1);
    assertThat(r.summary()).contains("1 gaps", "first: reliable: watcher 1 missed zxid 104");
  }

  @Test
  void aRepeatedEventIsADuplicate() {
    List<WatchEventRecord> w1 = stream(1);
    w1.add(2, ev(1, 1, 102, "NODE_DATA_CHANGED", "/w/a"));
    CheckResult r = check(stream(0), w1);
    assertThat(r.ok()).isFalse();
    assertThat(r.anomalies()).isEqualTo(1);
    assertThat(r.summary()).contains("first: unique: watcher 1 got", "102", "twice");
  }

  @Test
  void aRepeatedZxidInALaterCallIsOutOfOrder() {
    List<WatchEventRecord> w1 = stream(1);
    w1.add(2, ev(1, 9, 102, "NODE_DATA_CHANGED", "/w/a"));
    CheckResult r = check(stream(0), w1);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: ordered: watcher 1 got");
    assertThat(r.anomalies()).isEqualTo(2); // ordered and unique
  }

  @Test
  void eventsOutOfZxidOrderAreReordered() {
    List<WatchEventRecord> w1 = stream(1);
    WatchEventRecord third = w1.remove(2);
    w1.add(3, new WatchEventRecord(1, 9, third.zxid(), third.type(), third.path(), 9));
    CheckResult r = check(stream(0), w1);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: ordered: watcher 1 got", "103");
  }

  @Test
  void aWatcherThatStopsEarlyDidNotCatchUp() {
    List<WatchEventRecord> w1 = stream(1);
    w1.remove(4);
    CheckResult r = check(stream(0), w1);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("did not reach the final zxid 105");
  }

  @Test
  void anAcknowledgedWriteInNoStreamIsIncomplete() {
    List<WatchEventRecord> w0 = stream(0);
    List<WatchEventRecord> w1 = stream(1);
    w0.remove(1);
    w1.remove(1);
    CheckResult r = check(w0, w1);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: complete: acknowledged", "zxid 102 has no event");
  }

  @Test
  void anAcknowledgedDeleteWithoutEventIsIncomplete() {
    List<WatchEventRecord> w0 = stream(0);
    List<WatchEventRecord> w1 = stream(1);
    w0.remove(2);
    w1.remove(2);
    CheckResult r = check(w0, w1);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("complete: 1 acknowledged deletes of /w/a but 0 NODE_DELETED events");
  }

  @Test
  void watchersDisagreeingOnAZxidFail() {
    List<WatchEventRecord> w1 = stream(1);
    w1.set(3, ev(1, 3, 104, "NODE_CREATED", "/w/a"));
    CheckResult r = check(stream(0), w1);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: agreement: at zxid 104");
  }

  @Test
  void anEventOnAPathNeverWrittenIsAPhantom() {
    List<WatchEventRecord> w0 = stream(0);
    List<WatchEventRecord> w1 = stream(1);
    w0.set(3, ev(0, 3, 104, "NODE_CREATED", "/w/ghost"));
    w1.set(3, ev(1, 3, 104, "NODE_CREATED", "/w/ghost"));
    CheckResult r = check(w0, w1);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: phantom: NODE_CREATED /w/ghost");
  }

  @Test
  void anEventAtOrBeforeTheStartBreaksResumption() {
    List<WatchEventRecord> w1 = stream(1);
    w1.add(0, ev(1, 10, 100, "NODE_DATA_CHANGED", "/w"));
    CheckResult r = checker.check(writes, w1, List.of(1), "/w", START, FINAL);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: resumable: watcher 1 got", "at or below the start zxid 100");
  }

  @Test
  void aCompactedWatchFails() {
    List<WatchEventRecord> w1 = stream(1);
    w1.add(new WatchEventRecord(1, 5, 103, "COMPACTED", "/w", 5));
    CheckResult r = check(stream(0), w1);
    assertThat(r.ok()).isFalse();
    assertThat(r.summary()).contains("first: resumable: watcher 1's watch ended");
  }
}
