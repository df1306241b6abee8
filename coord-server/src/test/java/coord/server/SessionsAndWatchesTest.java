package coord.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import coord.api.Errors;
import coord.api.v1.CloseSessionRequest;
import coord.api.v1.CoordGrpc;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.DeleteRequest;
import coord.api.v1.ErrorCode;
import coord.api.v1.EventType;
import coord.api.v1.ExistsRequest;
import coord.api.v1.OpenSessionRequest;
import coord.api.v1.SetDataRequest;
import coord.api.v1.WatchEvent;
import coord.api.v1.WatchMode;
import coord.api.v1.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions, ephemeral/container/TTL nodes and watch streams through the raw gRPC API. */
class SessionsAndWatchesTest {
  @TempDir static Path dir;
  static TestCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    Properties p = new Properties();
    p.setProperty("tickTime", "200");
    p.setProperty("minSessionTimeout", "1000");
    p.setProperty("maxSessionTimeout", "5000");
    cluster = TestCluster.start(dir, 3, p);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static ManagedChannel channel(int node) {
    return NettyChannelBuilder.forTarget(cluster.clientEndpoint(node)).usePlaintext().build();
  }

  static CoordGrpc.CoordBlockingStub stub(ManagedChannel ch) {
    return CoordGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  @Test
  void sessionTimeoutIsNegotiatedIntoBounds() {
    ManagedChannel ch = channel(1);
    try {
      assertThat(stub(ch).openSession(OpenSessionRequest.newBuilder().setTimeoutMs(10).build()).getTimeoutMs())
          .isEqualTo(1000);
      assertThat(stub(ch).openSession(OpenSessionRequest.newBuilder().setTimeoutMs(99_000).build())
          .getTimeoutMs()).isEqualTo(5000);
      assertThat(stub(ch).openSession(OpenSessionRequest.newBuilder().setTimeoutMs(2500).build()).getTimeoutMs())
          .isEqualTo(2500);
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void ephemeralLivesWithItsSessionAndGoesWhenItFallsSilent() {
    ManagedChannel ch = channel(2);
    ManagedChannel reader = channel(3);
    try (RawClients.Session s = new RawClients.Session(ch, 1000)) {
      var created = stub(ch).create(CreateRequest.newBuilder().setPath("/eph").setMode(CreateMode.EPHEMERAL)
          .setSessionId(s.id).setData(ByteString.copyFromUtf8("alive")).build());
      assertThat(created.getStat().getEphemeralOwner()).isEqualTo(s.id);
      // not before: kept alive for several timeouts, it stays
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3 * s.timeoutMs);
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
        assertThat(stub(reader).exists(ExistsRequest.newBuilder().setPath("/eph").build()).getExists()).isTrue();
        return System.nanoTime() > until;
      });
      assertThatThrownBy(() -> stub(ch).create(CreateRequest.newBuilder().setPath("/eph/child").build()))
          .satisfies(e -> assertThat(Errors.fromThrowable(e)).isEqualTo(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS));
      s.close(); // the client goes silent
      await().atMost(Duration.ofSeconds(15)).until(() ->
          !stub(reader).exists(ExistsRequest.newBuilder().setPath("/eph").build()).getExists());
      // writes naming the expired session fail
      assertThatThrownBy(() -> stub(ch).create(CreateRequest.newBuilder().setPath("/after")
          .setMode(CreateMode.EPHEMERAL).setSessionId(s.id).build()))
          .satisfies(e -> assertThat(Errors.fromThrowable(e)).isEqualTo(ErrorCode.SESSION_EXPIRED));
      await().atMost(Duration.ofSeconds(10)).until(() -> RawClients.keepAliveOnce(ch, s.id).getExpired());
    } finally {
      ch.shutdownNow();
      reader.shutdownNow();
    }
  }

  @Test
  void closingASessionDeletesItsEphemeralsAtOnceAndTellsWatchers() {
    ManagedChannel ch = channel(1);
    ManagedChannel other = channel(3);
    try (RawClients.Session s = new RawClients.Session(ch, 5000)) {
      stub(ch).create(CreateRequest.newBuilder().setPath("/members").build());
      String mine = stub(ch).create(CreateRequest.newBuilder().setPath("/members/m-")
          .setMode(CreateMode.EPHEMERAL_SEQUENTIAL).setSessionId(s.id).build()).getPath();
      RawClients.WatchStream w = new RawClients.WatchStream(other);
      w.add(1, mine, WatchMode.WATCH_DATA, null);
      stub(ch).closeSession(CloseSessionRequest.newBuilder().setSessionId(s.id).build());
      assertThat(stub(other).exists(ExistsRequest.newBuilder().setPath(mine).build()).getExists()).isFalse();
      await().atMost(Duration.ofSeconds(10)).until(() -> !w.events(1).isEmpty());
      assertThat(w.events(1)).singleElement().satisfies(e -> {
        assertThat(e.getType()).isEqualTo(EventType.NODE_DELETED);
        assertThat(e.getPath()).isEqualTo(mine);
      });
    } finally {
      ch.shutdownNow();
      other.shutdownNow();
    }
  }

  @Test
  void oneShotWatchFiresOnceAndRecursiveWatchSeesEveryChangeInOrder() {
    ManagedChannel writer = channel(1);
    ManagedChannel watcher = channel(2);
    try {
      stub(writer).create(CreateRequest.newBuilder().setPath("/app").build());
      RawClients.WatchStream w = new RawClients.WatchStream(watcher);
      w.add(10, "/app/cfg", WatchMode.WATCH_DATA, null);
      w.add(11, "/app", WatchMode.WATCH_PERSISTENT_RECURSIVE, null);
      List<Long> zxids = new ArrayList<>();
      zxids.add(stub(writer).create(CreateRequest.newBuilder().setPath("/app/cfg").build()).getHeader().getZxid());
      zxids.add(stub(writer).setData(SetDataRequest.newBuilder().setPath("/app/cfg")
          .setData(ByteString.copyFrom("v2", UTF_8)).build()).getHeader().getZxid());
      zxids.add(stub(writer).create(CreateRequest.newBuilder().setPath("/app/cfg2").build()).getHeader().getZxid());
      zxids.add(stub(writer).delete(DeleteRequest.newBuilder().setPath("/app/cfg").build()).getHeader().getZxid());
      await().atMost(Duration.ofSeconds(10)).until(() -> w.events(11).size() == 4);
      assertThat(w.events(11)).extracting(WatchEvent::getType).containsExactly(EventType.NODE_CREATED,
          EventType.NODE_DATA_CHANGED, EventType.NODE_CREATED, EventType.NODE_DELETED);
      assertThat(w.events(11)).extracting(WatchEvent::getZxid).containsExactlyElementsOf(zxids);
      // the one-shot data watch fired for the create only
      assertThat(w.events(10)).singleElement().satisfies(e -> assertThat(e.getType()).isEqualTo(EventType.NODE_CREATED));
      assertThat(w.received.stream().filter(r -> r.getWatchId() == 10 && r.getRemoved())).hasSize(1);

      // resuming from the first zxid replays the rest, exactly once each
      RawClients.WatchStream resumed = new RawClients.WatchStream(channel(3));
      resumed.add(12, "/app", WatchMode.WATCH_PERSISTENT_RECURSIVE, zxids.get(0));
      assertThat(resumed.events(12)).extracting(WatchEvent::getZxid).containsExactlyElementsOf(zxids.subList(1, 4));
    } finally {
      writer.shutdownNow();
      watcher.shutdownNow();
    }
  }

  @Test
  void watchStreamsThatGoAwayDoNotHurtTheNode() throws Exception {
    ManagedChannel ch = channel(2);
    try {
      stub(ch).create(CreateRequest.newBuilder().setPath("/gone").build());
      RawClients.WatchStream closed = new RawClients.WatchStream(ch);
      closed.add(1, "/gone", WatchMode.WATCH_PERSISTENT, null);
      closed.requests.onCompleted();
      ManagedChannel dropped = channel(2);
      RawClients.WatchStream cancelled = new RawClients.WatchStream(dropped);
      cancelled.add(2, "/gone", WatchMode.WATCH_PERSISTENT, null);
      dropped.shutdownNow();
      for (int i = 0; i < 20; i++) {
        stub(ch).setData(SetDataRequest.newBuilder().setPath("/gone").build());
      }
      assertThat(cluster.node(2).status().getAppliedIndex()).isPositive();
      assertThat(stub(ch).exists(ExistsRequest.newBuilder().setPath("/gone").build()).getStat().getVersion())
          .isEqualTo(20);
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void containerAndTtlNodesAreReaped() {
    ManagedChannel ch = channel(1);
    try {
      stub(ch).create(CreateRequest.newBuilder().setPath("/box").setMode(CreateMode.CONTAINER).build());
      var ttl = stub(ch).create(CreateRequest.newBuilder().setPath("/short").setMode(CreateMode.PERSISTENT_WITH_TTL)
          .setTtlMs(500).build());
      assertThat(ttl.getStat().getEphemeralOwner()).isEqualTo(0xFF000000000001F4L);
      stub(ch).create(CreateRequest.newBuilder().setPath("/box/item").build());
      stub(ch).delete(DeleteRequest.newBuilder().setPath("/box/item").build());
      await().atMost(Duration.ofSeconds(20)).until(() ->
          !stub(ch).exists(ExistsRequest.newBuilder().setPath("/box").build()).getExists()
          && !stub(ch).exists(ExistsRequest.newBuilder().setPath("/short").build()).getExists());
      assertThatThrownBy(() -> stub(ch).create(CreateRequest.newBuilder().setPath("/bad-ttl")
          .setMode(CreateMode.PERSISTENT_WITH_TTL).build()))
          .satisfies(e -> assertThat(Errors.fromThrowable(e)).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    } finally {
      ch.shutdownNow();
    }
  }
}
