package coord.statemachine;

import static coord.statemachine.TestTrees.apply;
import static coord.statemachine.TestTrees.create;
import static coord.statemachine.TestTrees.entry;
import static org.assertj.core.api.Assertions.assertThat;

import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.DeleteAllRequest;
import coord.api.v1.ErrorCode;
import coord.api.v1.OpenSessionRequest;
import coord.api.v1.SetDataRequest;
import coord.statemachine.proto.CloseSession;
import coord.statemachine.proto.LogEntry;
import coord.statemachine.proto.Op;
import coord.statemachine.proto.OpResult;
import coord.statemachine.proto.ReapNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sessions, ephemerals, reaping and the watch event history, applied to the in-memory store. */
class SessionAndHistoryTest {
  private final MemoryKvStore store = new MemoryKvStore();
  private long index = 1;

  private EntryApplier.Result applyOps(Op... ops) {
    LogEntry e = entry(1_000 + index, 1024, ops).toBuilder()
        .setMinSessionTimeoutMs(4000).setMaxSessionTimeoutMs(40000).build();
    return apply(store, index++, e);
  }

  private static Op open(long timeoutMs) {
    return Op.newBuilder().setOpenSession(OpenSessionRequest.newBuilder().setTimeoutMs(timeoutMs)).build();
  }

  private static Op ephemeral(String path, long session) {
    return Op.newBuilder().setCreate(CreateRequest.newBuilder().setPath(path).setMode(CreateMode.EPHEMERAL)
        .setSessionId(session)).build();
  }

  private ZTree tree() {
    return new ZTree(store.reader());
  }

  @Test
  void sessionsNegotiateOwnEphemeralsAndTakeThemAlongWhenClosed() {
    OpResult opened = applyOps(open(100)).results().get(0);
    long session = opened.getOpenSession().getSessionId();
    assertThat(session).isEqualTo(opened.getZxid());
    assertThat(opened.getOpenSession().getTimeoutMs()).isEqualTo(4000);
    assertThat(applyOps(open(10_000_000)).results().get(0).getOpenSession().getTimeoutMs()).isEqualTo(40000);

    applyOps(create("/m", ""), ephemeral("/m/a", session), ephemeral("/m/b", session));
    assertThat(tree().get("/m/a").ephemeralOwner()).isEqualTo(session);
    assertThat(tree().ownedBy(session)).containsExactlyInAnyOrder("/m/a", "/m/b");
    assertThat(applyOps(ephemeral("/m/a/child", 0)).results().get(0).getError())
        .isEqualTo(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS);

    EntryApplier.Result closed = applyOps(Op.newBuilder()
        .setCloseSession(CloseSession.newBuilder().setSessionId(session).setExpired(true)).build());
    assertThat(closed.results().get(0).getError()).isEqualTo(ErrorCode.ERROR_CODE_UNSPECIFIED);
    assertThat(closed.events()).extracting(WatchEvent::type).contains(WatchEvent.Type.NODE_DELETED);
    assertThat(tree().get("/m/a")).isNull();
    assertThat(tree().get("/m").numChildren()).isZero();
    assertThat(tree().sessionTimeout(session)).isEqualTo(-1);
    assertThat(tree().ownedBy(session)).isEmpty();
    assertThat(tree().digest()).isEqualTo(tree().scanDigest());

    // once closed: any write naming it fails, a second close too
    assertThat(applyOps(ephemeral("/m/c", session)).results().get(0).getError())
        .isEqualTo(ErrorCode.SESSION_EXPIRED);
    assertThat(applyOps(Op.newBuilder().setSetData(SetDataRequest.newBuilder().setPath("/m").setSessionId(session))
        .build()).results().get(0).getError()).isEqualTo(ErrorCode.SESSION_EXPIRED);
    assertThat(applyOps(Op.newBuilder().setCloseSession(CloseSession.newBuilder().setSessionId(session)).build())
        .results().get(0).getError()).isEqualTo(ErrorCode.SESSION_EXPIRED);
  }

  @Test
  void reapDeletesOnlyAnUnchangedChildlessContainerOrTtlNode() {
    applyOps(Op.newBuilder().setCreate(CreateRequest.newBuilder().setPath("/box").setMode(CreateMode.CONTAINER)).build(),
        Op.newBuilder().setCreate(CreateRequest.newBuilder().setPath("/ttl").setMode(CreateMode.PERSISTENT_WITH_TTL)
            .setTtlMs(5000)).build(),
        create("/plain", ""));
    assertThat(tree().get("/box").ephemeralOwner()).isEqualTo(0x8000000000000000L);
    assertThat(tree().get("/ttl").ephemeralOwner()).isEqualTo(0xFF00000000001388L);
    assertThat(tree().reapable()).containsExactlyInAnyOrder("/box", "/ttl");
    NodeRecord ttl = tree().get("/ttl");
    applyOps(Op.newBuilder().setSetData(SetDataRequest.newBuilder().setPath("/ttl")).build());
    // the leader saw the old version: the reap does nothing
    assertThat(applyOps(reap("/ttl", ttl)).results().get(0).getError()).isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(applyOps(reap("/plain", tree().get("/plain"))).results().get(0).getError())
        .isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(applyOps(reap("/ttl", tree().get("/ttl"))).results().get(0).getError())
        .isEqualTo(ErrorCode.ERROR_CODE_UNSPECIFIED);
    assertThat(tree().get("/ttl")).isNull();
    assertThat(tree().reapable()).containsExactly("/box");
  }

  private static Op reap(String path, NodeRecord seen) {
    return Op.newBuilder().setReapNode(ReapNode.newBuilder().setPath(path).setMzxid(seen.mzxid())
        .setCversion(seen.cversion())).build();
  }

  @Test
  void historyKeepsEveryEventInZxidOrderAndMovesItsFloorPastOldEntries() {
    applyOps(create("/h", ""), create("/h/a", ""), create("/h/a/b", ""));
    EntryApplier.Result all = applyOps(Op.newBuilder().setDeleteAll(DeleteAllRequest.newBuilder().setPath("/h"))
        .build());
    List<WatchEvent> replayed = new ArrayList<>();
    tree().history(0, replayed::add);
    assertThat(replayed).hasSize(2 + 2 + 2 + all.events().size());
    assertThat(replayed.subList(6, replayed.size())).containsExactlyElementsOf(all.events());
    assertThat(replayed).extracting(WatchEvent::zxid).isSorted();
    assertThat(tree().historyFloor()).isZero();

    // after HISTORY_ENTRIES more entries, the oldest events are gone and the floor says so
    applyOps(create("/x", ""));
    long firstX = tree().lastZxid();
    for (long i = 0; i < EntryApplier.HISTORY_ENTRIES + 10; i++) {
      applyOps(Op.newBuilder().setSetData(SetDataRequest.newBuilder().setPath("/x")).build());
    }
    long floor = tree().historyFloor();
    assertThat(floor).isGreaterThan(firstX);
    List<WatchEvent> kept = new ArrayList<>();
    tree().history(floor - 1, e -> kept.add(e) && kept.size() < 5);
    assertThat(kept.get(0).zxid()).isGreaterThanOrEqualTo(floor);
    List<WatchEvent> older = new ArrayList<>();
    tree().history(0, e -> older.add(e) && false);
    assertThat(older.get(0).zxid()).isGreaterThanOrEqualTo(floor);
  }

  @Test
  void historyKeepsAtMostItsEventCapWhateverTheEntriesHold() {
    applyOps(create("/x", ""));
    Op set = Op.newBuilder().setSetData(SetDataRequest.newBuilder().setPath("/x")).build();
    int perEntry = 50_000;
    Op[] batch = new Op[perEntry];
    java.util.Arrays.fill(batch, set);
    long entries = EntryApplier.HISTORY_MAX_EVENTS / perEntry + 4;
    long firstBatch = 0;
    for (long i = 0; i < entries; i++) {
      EntryApplier.Result r = applyOps(batch);
      if (i == 0) {
        firstBatch = r.events().get(0).zxid();
      }
    }

    long[] kept = {0};
    long[] oldest = {-1};
    tree().history(0, e -> {
      oldest[0] = oldest[0] < 0 ? e.zxid() : oldest[0];
      kept[0]++;
      return true;
    });
    assertThat(kept[0]).isEqualTo(EntryApplier.HISTORY_MAX_EVENTS);
    long floor = tree().historyFloor();
    assertThat(floor).isGreaterThan(firstBatch);
    assertThat(oldest[0]).isGreaterThanOrEqualTo(floor);
  }
}
