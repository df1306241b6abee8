package coord.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import coord.api.v1.AddWatch;
import coord.api.v1.ErrorCode;
import coord.api.v1.EventType;
import coord.api.v1.ExistsRequest;
import coord.api.v1.ExistsResponse;
import coord.api.v1.GetDataResponse;
import coord.api.v1.ResponseHeader;
import coord.api.v1.WatchEvent;
import coord.api.v1.WatchMode;
import coord.api.v1.WatchRequest;
import coord.api.v1.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watch stream's client side against scripted nodes: adds, delivery, dedup, resume on failover. */
class WatchStreamTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final Recorder seen = new Recorder();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private FakeNode node() {
    FakeNode node = new FakeNode().answering(r -> {
      if (r instanceof ExistsRequest) {
        return ExistsResponse.newBuilder().setHeader(ResponseHeader.newBuilder().setZxid(0x500)).build();
      }
      return GetDataResponse.newBuilder().setData(ByteString.copyFromUtf8("v"))
          .setHeader(ResponseHeader.newBuilder().setZxid(0x700)).build();
    });
    toClose.add(node);
    return node;
  }

  private CoordClient client(String... endpoints) {
    CoordClient client = CoordClient.builder().endpoints(List.of(endpoints))
        .requestTimeout(Duration.ofSeconds(5)).build();
    toClose.add(0, client);
    return client;
  }

  /** Everything a listener heard, as strings, in order. */
  static final class Recorder implements WatchListener {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void onEvents(List<WatchEvent> events) {
      calls.add(events.stream().map(e -> e.getType() + " " + e.getPath() + " " + e.getZxid()).toList().toString());
    }

    @Override
    public void onCompacted(long oldestZxid) {
      calls.add("compacted " + oldestZxid);
    }

    @Override
    public void onRemoved() {
      calls.add("removed");
    }

    @Override
    public void onError(CoordException e) {
      calls.add("error " + e.code());
    }
  }

  private static AddWatch nextAdd(FakeNode node) throws InterruptedException {
    WatchRequest r = node.watchRequests.poll(5, TimeUnit.SECONDS);
    assertThat(r).as("a watch request").isNotNull();
    assertThat(r.hasAdd()).as(r.toString()).isTrue();
    return r.getAdd();
  }

  private static void send(FakeNode node, WatchResponse response) {
    StreamObserver<WatchResponse> stream = node.watchStreams.get(node.watchStreams.size() - 1);
    synchronized (stream) {
      stream.onNext(response);
    }
  }

  private static WatchResponse added(long id) {
    return WatchResponse.newBuilder().setWatchId(id).setAdded(true).build();
  }

  private static WatchResponse event(long id, EventType type, String path, long zxid) {
    return WatchResponse.newBuilder().setWatchId(id)
        .addEvents(WatchEvent.newBuilder().setType(type).setPath(path).setZxid(zxid)).build();
  }

  @Test
  void watchWithAZxidAddsItAndReturnsOnceAdded() throws Exception {
    FakeNode node = node();
    CoordClient client = client(node.endpoint());

    CompletableFuture<WatchSubscription> pending =
        client.watchAsync("/a", WatchMode.WATCH_PERSISTENT_RECURSIVE, OptionalLong.of(42), seen);
    AddWatch add = nextAdd(node);
    assertThat(add.getPath()).isEqualTo("/a");
    assertThat(add.getMode()).isEqualTo(WatchMode.WATCH_PERSISTENT_RECURSIVE);
    assertThat(add.getAfterZxid()).isEqualTo(42);
    assertThat(pending).isNotDone();

    send(node, event(add.getWatchId(), EventType.NODE_CREATED, "/a/x", 43)); // replay before "added"
    send(node, added(add.getWatchId()));
    WatchSubscription watch = pending.get(5, TimeUnit.SECONDS);

    assertThat(watch.isActive()).isTrue();
    await().atMost(WAIT).until(() -> seen.calls.equals(List.of("[NODE_CREATED /a/x 43]")));
    assertThat(watch.lastZxid()).hasValue(43);
    assertThat(node.requests).isEmpty(); // no read: the zxid was given
  }

  @Test
  void watchWithoutAZxidStartsAtTheZxidOfALinearizableRead() throws Exception {
    FakeNode node = node();
    CoordClient client = client(node.endpoint());

    CompletableFuture<WatchSubscription> pending =
        client.watchAsync("/a", WatchMode.WATCH_PERSISTENT, OptionalLong.empty(), seen);
    AddWatch add = nextAdd(node);
    send(node, added(add.getWatchId()));

    assertThat(pending.get(5, TimeUnit.SECONDS).lastZxid()).isEmpty();
    assertThat(add.getAfterZxid()).isEqualTo(0x500);
    assertThat(node.requests).singleElement().isInstanceOf(ExistsRequest.class);
  }

  @Test
  void deliversEachZxidOnceInOrderAndDropsDuplicates() throws Exception {
    FakeNode node = node();
    CoordClient client = client(node.endpoint());
    CompletableFuture<WatchSubscription> pending =
        client.watchAsync("/", WatchMode.WATCH_PERSISTENT_RECURSIVE, OptionalLong.of(10), seen);
    long id = nextAdd(node).getWatchId();
    send(node, added(id));
    pending.get(5, TimeUnit.SECONDS);

    send(node, event(id, EventType.NODE_CREATED, "/x", 9));   // before the start: dropped
    send(node, event(id, EventType.NODE_CREATED, "/x", 11));
    send(node, event(id, EventType.NODE_CREATED, "/x", 11));  // duplicate: dropped
    send(node, WatchResponse.newBuilder().setWatchId(id)        // one zxid, two events: one call
        .addEvents(WatchEvent.newBuilder().setType(EventType.NODE_DELETED).setPath("/x/a").setZxid(12))
        .addEvents(WatchEvent.newBuilder().setType(EventType.NODE_DELETED).setPath("/x").setZxid(12))
        .build());
    send(node, event(id + 1000, EventType.NODE_CREATED, "/other", 13)); // unknown watch: ignored

    await().atMost(WAIT).until(() -> seen.calls.size() == 2);
    assertThat(seen.calls).containsExactly("[NODE_CREATED /x 11]", "[NODE_DELETED /x/a 12, NODE_DELETED /x 12]");
  }

  @Test
  void resumesEveryWatchOnTheNextNodeAfterTheLastDeliveredZxid() throws Exception {
    FakeNode a = node();
    FakeNode b = node();
    CoordClient client = client(a.endpoint(), b.endpoint());
    Recorder other = new Recorder();
    CompletableFuture<WatchSubscription> w1 =
        client.watchAsync("/a", WatchMode.WATCH_PERSISTENT_RECURSIVE, OptionalLong.of(100), seen);
    CompletableFuture<WatchSubscription> w2 =
        client.watchAsync("/b", WatchMode.WATCH_DATA, OptionalLong.of(150), other);
    long id1 = nextAdd(a).getWatchId();
    long id2 = nextAdd(a).getWatchId();
    send(a, added(id1));
    send(a, added(id2));
    w1.get(5, TimeUnit.SECONDS);
    w2.get(5, TimeUnit.SECONDS);
    send(a, event(id1, EventType.NODE_CREATED, "/a/1", 101));
    send(a, event(id1, EventType.NODE_CREATED, "/a/2", 102));
    await().atMost(WAIT).until(() -> seen.calls.size() == 2);

    a.close(); // the stream breaks

    AddWatch r1 = nextAdd(b);
    AddWatch r2 = nextAdd(b);
    assertThat(List.of(r1, r2)).extracting(AddWatch::getWatchId, AddWatch::getPath, AddWatch::getAfterZxid)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(id1, "/a", 102L),
            org.assertj.core.groups.Tuple.tuple(id2, "/b", 150L));
    send(b, event(id1, EventType.NODE_CREATED, "/a/2", 102)); // a server that replays too much
    send(b, event(id1, EventType.NODE_CREATED, "/a/3", 103));
    send(b, WatchResponse.newBuilder(event(id2, EventType.NODE_DATA_CHANGED, "/b", 160)).setRemoved(true).build());

    await().atMost(WAIT).until(() -> seen.calls.size() == 3 && other.calls.size() == 2);
    assertThat(seen.calls).containsExactly("[NODE_CREATED /a/1 101]", "[NODE_CREATED /a/2 102]",
        "[NODE_CREATED /a/3 103]");
    assertThat(other.calls).containsExactly("[NODE_DATA_CHANGED /b 160]", "removed");
    assertThat(w2.get().isActive()).isFalse();
  }

  @Test
  void oneShotHelpersWatchFromTheReadsZxid() throws Exception {
    FakeNode node = node();
    CoordClient client = client(node.endpoint());
    CompletableFuture<NodeData> read = CompletableFuture.supplyAsync(() -> client.getData("/a", seen));

    AddWatch add = nextAdd(node);
    assertThat(add.getMode()).isEqualTo(WatchMode.WATCH_DATA);
    assertThat(add.getAfterZxid()).isEqualTo(0x700);
    assertThat(read).isNotDone();
    send(node, added(add.getWatchId()));
    assertThat(read.get(5, TimeUnit.SECONDS).data()).isEqualTo("v".getBytes());

    CompletableFuture<?> exists = CompletableFuture.supplyAsync(() -> client.exists("/missing", seen));
    AddWatch existsAdd = nextAdd(node);
    assertThat(existsAdd.getMode()).isEqualTo(WatchMode.WATCH_DATA);
    assertThat(existsAdd.getAfterZxid()).isEqualTo(0x500);
    send(node, added(existsAdd.getWatchId()));
    assertThat(exists.get(5, TimeUnit.SECONDS)).isEqualTo(java.util.Optional.empty());
  }

  @Test
  void compactedEndsTheWatch() throws Exception {
    FakeNode node = node();
    CoordClient client = client(node.endpoint());
    CompletableFuture<WatchSubscription> pending =
        client.watchAsync("/a", WatchMode.WATCH_PERSISTENT, OptionalLong.of(1), seen);
    long id = nextAdd(node).getWatchId();

    send(node, WatchResponse.newBuilder().setWatchId(id).setCompacted(true).setOldestZxid(777).build());

    WatchSubscription watch = pending.get(5, TimeUnit.SECONDS);
    assertThat(watch.isActive()).isFalse();
    await().atMost(WAIT).until(() -> seen.calls.equals(List.of("compacted 777")));
  }

  @Test
  void anErrorBeforeRegistrationFailsTheCallAfterItGoesToTheListener() throws Exception {
    FakeNode node = node();
    CoordClient client = client(node.endpoint());
    CompletableFuture<WatchSubscription> bad =
        client.watchAsync("bad", WatchMode.WATCH_PERSISTENT, OptionalLong.of(1), seen);
    long badId = nextAdd(node).getWatchId();
    send(node, WatchResponse.newBuilder().setWatchId(badId).setRemoved(true)
        .setError(ErrorCode.INVALID_PATH).setErrorMessage("path must start with /").build());
    assertThatThrownBy(() -> bad.join()).hasCauseInstanceOf(CoordException.class)
        .hasMessageContaining("INVALID_PATH");

    CompletableFuture<WatchSubscription> good =
        client.watchAsync("/a", WatchMode.WATCH_PERSISTENT, OptionalLong.of(1), seen);
    long id = nextAdd(node).getWatchId();
    send(node, added(id));
    good.get(5, TimeUnit.SECONDS);
    send(node, WatchResponse.newBuilder().setWatchId(id).setRemoved(true).setError(ErrorCode.INTERNAL).build());
    await().atMost(WAIT).until(() -> seen.calls.equals(List.of("error INTERNAL")));
  }

  @Test
  void closeSendsRemoveWatchAndDropsWhatIsStillQueued() throws Exception {
    FakeNode node = node();
    CoordClient client = client(node.endpoint());
    CompletableFuture<WatchSubscription> pending =
        client.watchAsync("/a", WatchMode.WATCH_PERSISTENT, OptionalLong.of(1), seen);
    long id = nextAdd(node).getWatchId();
    send(node, added(id));
    WatchSubscription watch = pending.get(5, TimeUnit.SECONDS);

    watch.close();
    watch.close();

    WatchRequest remove = node.watchRequests.poll(5, TimeUnit.SECONDS);
    assertThat(remove.hasRemove()).isTrue();
    assertThat(remove.getRemove().getWatchId()).isEqualTo(id);
    assertThat(node.watchRequests.poll(200, TimeUnit.MILLISECONDS)).isNull();
    send(node, event(id, EventType.NODE_DATA_CHANGED, "/a", 5));
    await().atMost(WAIT).until(() -> seen.calls.equals(List.of("removed")));
    assertThat(watch.isActive()).isFalse();
  }

  @Test
  void registrationThatNeverCompletesTimesOut() {
    FakeNode node = node();
    CoordClient client = CoordClient.builder().endpoints(node.endpoint())
        .requestTimeout(Duration.ofMillis(300)).build();
    toClose.add(0, client);

    assertThatThrownBy(() -> client.watch("/a", WatchMode.WATCH_PERSISTENT, OptionalLong.of(1), seen))
        .isInstanceOf(CoordException.class).hasMessageContaining("not registered within");
  }

  @Test
  void listenerCallbacksRunOneAtATimeOnOneThread() throws Exception {
    FakeNode node = node();
    CoordClient client = client(node.endpoint());
    List<String> threads = new CopyOnWriteArrayList<>();
    WatchListener slow = events -> {
      threads.add(Thread.currentThread().getName());
      try {
        Thread.sleep(20); // a slow listener: later events queue up behind it
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    CompletableFuture<WatchSubscription> w1 = client.watchAsync("/a", WatchMode.WATCH_PERSISTENT, OptionalLong.of(1), slow);
    CompletableFuture<WatchSubscription> w2 = client.watchAsync("/b", WatchMode.WATCH_PERSISTENT, OptionalLong.of(1), slow);
    long id1 = nextAdd(node).getWatchId();
    long id2 = nextAdd(node).getWatchId();
    send(node, added(id1));
    send(node, added(id2));
    w1.get(5, TimeUnit.SECONDS);
    w2.get(5, TimeUnit.SECONDS);
    for (int z = 2; z < 12; z++) {
      send(node, event(z % 2 == 0 ? id1 : id2, EventType.NODE_DATA_CHANGED, z % 2 == 0 ? "/a" : "/b", z));
    }
    await().atMost(WAIT).until(() -> threads.size() == 10);
    assertThat(threads).containsOnly("coord-client-events");
  }
}
