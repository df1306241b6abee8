package coord.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coord.api.v1.Consistency;
import coord.api.v1.CreateMode;
import coord.client.CoordClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real Ratis peers with their gRPC front ends, driven through the Java client. */
class ClusterTest {
  @TempDir Path dir;

  private static CoordClient client(String endpoints) {
    return CoordClient.builder().endpoints(endpoints).requestTimeout(Duration.ofSeconds(20)).build();
  }

  @Test
  void writesThroughAnyNodeReachEveryNode() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir, 3)) {
      for (int id = 1; id <= 3; id++) {
        try (CoordClient c = client(cluster.clientEndpoint(id))) {
          c.create("/via" + id, ("from " + id).getBytes(UTF_8), CreateMode.PERSISTENT);
          // a linearizable read on any node sees the write at once
          for (int other = 1; other <= 3; other++) {
            try (CoordClient o = client(cluster.clientEndpoint(other))) {
              assertThat(new String(o.getData("/via" + id).data(), UTF_8)).isEqualTo("from " + id);
            }
          }
        }
      }
      cluster.awaitConverged();
      for (int id = 1; id <= 3; id++) {
        try (CoordClient c = client(cluster.clientEndpoint(id))) {
          assertThat(c.getChildren("/", Consistency.STALE).names()).containsExactly("via1", "via2", "via3");
        }
      }
    }
  }

  /**
   * Followers learn each commit right after it (CommitPushingRpc), not with the next heartbeat: here
   * heartbeats come every 15 s, and each write must show in stale reads at both followers well before.
   */
  @Test
  void followersLearnEachCommitAtOnceNotWithTheNextHeartbeat() throws Exception {
    Properties rareHeartbeats = new Properties();
    rareHeartbeats.setProperty("electionTimeoutMinMs", "30000"); // a heartbeat every 15 s
    rareHeartbeats.setProperty("electionTimeoutMaxMs", "40000");
    rareHeartbeats.setProperty("raft.server.rpc.first-election.timeout.min", "100ms");
    rareHeartbeats.setProperty("raft.server.rpc.first-election.timeout.max", "300ms");
    try (TestCluster cluster = TestCluster.start(dir, 3, rareHeartbeats)) {
      int leader = cluster.awaitLeader();
      List<Integer> followers = cluster.runningIds().stream().filter(id -> id != leader).toList();
      try (CoordClient writer = client(cluster.clientEndpoint(leader));
           CoordClient first = client(cluster.clientEndpoint(followers.get(0)));
           CoordClient second = client(cluster.clientEndpoint(followers.get(1)))) {
        for (int i = 0; i < 10; i++) {
          String path = "/pushed-" + i;
          writer.create(path, new byte[0], CreateMode.PERSISTENT);
          for (CoordClient follower : List.of(first, second)) {
            await().atMost(Duration.ofSeconds(5))
                .until(() -> follower.exists(path, Consistency.STALE).isPresent());
          }
        }
      }
    }
  }

  /**
   * A leader whose process is gone (its Raft port refuses connections) is replaced at once: the election
   * timeouts here are 60–90 s, so only the survivors' LeaderLossElection can elect one within the wait.
   */
  @Test
  void aStoppedLeaderIsReplacedWithoutWaitingOutTheElectionTimeout() throws Exception {
    Properties slowTimers = new Properties();
    slowTimers.setProperty("electionTimeoutMinMs", "60000");
    slowTimers.setProperty("electionTimeoutMaxMs", "90000");
    slowTimers.setProperty("raft.server.rpc.first-election.timeout.min", "300ms");
    slowTimers.setProperty("raft.server.rpc.first-election.timeout.max", "600ms");
    try (TestCluster cluster = TestCluster.start(dir, 3, slowTimers);
         CoordClient c = client(cluster.clientEndpoints())) {
      c.create("/before", new byte[0], CreateMode.PERSISTENT);
      int oldLeader = cluster.awaitLeader();
      cluster.stopNode(oldLeader);
      int newLeader = cluster.awaitLeader(Duration.ofSeconds(30));
      assertThat(cluster.node(newLeader).leaderLossElections()).isEqualTo(1);
      c.create("/after", new byte[0], CreateMode.PERSISTENT);
      // stale: with heartbeats 30 s apart a follower's ReadIndex round can wait that long
      try (CoordClient atLeader = client(cluster.clientEndpoint(newLeader))) {
        assertThat(atLeader.getChildren("/", Consistency.STALE).names()).contains("before", "after");
      }
    }
  }

  @Test
  void leaderLossLosesNoAcknowledgedWrite() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir, 3);
         CoordClient c = client(cluster.clientEndpoints())) {
      c.create("/acked", new byte[0], CreateMode.PERSISTENT);
      ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> writers = new ArrayList<>();
      // writers go on until told to stop; the bounds only keep a runaway loop finite (a small fixed
      // budget can run out before the leader is stopped on a fast machine)
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      for (int w = 0; w < 4; w++) {
        int writer = w;
        Thread t = new Thread(() -> {
          for (int i = 0; i < 1_000_000 && !stop.get() && System.nanoTime() < deadline; i++) {
            try {
              // a unique payload per call: a retry applied twice would show up as two nodes with it
              acked.add(c.create("/acked/w" + writer + "-", ("w" + writer + "-" + i).getBytes(UTF_8),
                  CreateMode.PERSISTENT_SEQUENTIAL).path());
            } catch (RuntimeException e) {
              // unacknowledged: may or may not have been applied; only acknowledged writes are checked
            }
          }
        });
        t.start();
        writers.add(t);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= 100);
      int oldLeader = cluster.awaitLeader();
      cluster.stopNode(oldLeader);
      int before = acked.size();
      await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() >= before + 100);
      int newLeader = cluster.awaitLeader();
      assertThat(newLeader).isNotEqualTo(oldLeader);
      stop.set(true);
      for (Thread t : writers) {
        t.join(60_000);
      }
      List<String> present = c.getChildren("/acked").names();
      assertThat(acked).allSatisfy(p -> assertThat(present).contains(p.substring("/acked/".length())));
      List<String> payloads = new ArrayList<>();
      for (String name : present) {
        payloads.add(new String(c.getData("/acked/" + name).data(), UTF_8));
      }
      assertThat(payloads).doesNotHaveDuplicates();

      cluster.startNode(oldLeader);
      cluster.awaitConverged();
    }
  }

  @Test
  void restartedFollowerCatchesUp() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir, 3);
         CoordClient c = client(cluster.clientEndpoints())) {
      int follower = followerOf(cluster);
      cluster.stopNode(follower);
      for (int i = 0; i < 50; i++) {
        c.create("/while-down-" + i, new byte[] {(byte) i}, CreateMode.PERSISTENT);
      }
      cluster.startNode(follower);
      cluster.awaitConverged();
      try (CoordClient f = client(cluster.clientEndpoint(follower))) {
        assertThat(f.getChildren("/", Consistency.STALE).names()).hasSize(50);
      }
    }
  }

  @Test
  void followerDownAcrossSnapshotInstallsItAndConverges() throws Exception {
    Properties small = new Properties();
    small.setProperty("snapshotThreshold", "40");
    small.setProperty("raft.server.log.segment.size.max", "16KB");
    small.setProperty("raft.server.log.purge.gap", "1");
    small.setProperty("raft.server.log.purge.upto.snapshot.index", "true");
    try (TestCluster cluster = TestCluster.start(dir, 3, small);
         CoordClient c = client(cluster.clientEndpoints())) {
      int follower = followerOf(cluster);
      cluster.stopNode(follower);
      byte[] data = new byte[512];
      for (int i = 0; i < 200; i++) {
        c.create("/snap-" + i, data, CreateMode.PERSISTENT);
      }
      int leader = cluster.awaitLeader();
      // the leader's log no longer starts at the beginning: the follower can only catch up by snapshot
      await().atMost(Duration.ofSeconds(30)).until(() ->
          cluster.node(leader).raftLogStartIndex() > 1);
      cluster.startNode(follower);
      cluster.awaitConverged();
      assertThat(cluster.node(follower).stateMachine().treeStatus().nodeCount()).isEqualTo(201);
      c.setData("/snap-0", "after".getBytes(UTF_8), -1);
      cluster.awaitConverged();
    }
  }

  @Test
  void fullRestartKeepsEverything() throws Exception {
    String digest;
    try (TestCluster cluster = TestCluster.start(dir, 3)) {
      try (CoordClient c = client(cluster.clientEndpoints())) {
        c.create("/p", "persist".getBytes(UTF_8), CreateMode.PERSISTENT);
        c.create("/p/q", new byte[0], CreateMode.PERSISTENT_SEQUENTIAL);
        c.setData("/p", "persisted".getBytes(UTF_8), 0);
      }
      cluster.awaitConverged();
      digest = cluster.node(1).status().getDigest();
      for (int id = 1; id <= 3; id++) {
        cluster.stopNode(id);
      }
      for (int id = 1; id <= 3; id++) {
        cluster.startNode(id);
      }
      cluster.awaitLeader();
      try (CoordClient c = client(cluster.clientEndpoints())) {
        var node = c.getData("/p");
        assertThat(new String(node.data(), UTF_8)).isEqualTo("persisted");
        assertThat(node.stat().getVersion()).isEqualTo(1);
        assertThat(c.getChildren("/p").names()).containsExactly("q0000000000");
      }
      cluster.awaitConverged();
      assertThat(cluster.node(1).status().getDigest()).isEqualTo(digest);
    }
  }

  @Test
  void aNodeWithoutQuorumReportsNotServingUntilItRejoins() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir, 3)) {
      int leader = cluster.awaitLeader();
      int survivor = followerOf(cluster);
      io.grpc.ManagedChannel ch = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
          .forTarget(cluster.clientEndpoint(survivor)).usePlaintext().build();
      try {
        var health = io.grpc.health.v1.HealthGrpc.newBlockingStub(ch);
        var request = io.grpc.health.v1.HealthCheckRequest.newBuilder().setService(coord.api.v1.CoordGrpc.SERVICE_NAME)
            .build();
        for (int id : cluster.runningIds()) {
          if (id != survivor) {
            cluster.stopNode(id);
          }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> health.withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS)
            .check(request).getStatus() == io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING);
        cluster.startNode(leader);
        await().atMost(Duration.ofSeconds(30)).until(() -> health.withDeadlineAfter(5, java.util.concurrent.TimeUnit.SECONDS)
            .check(request).getStatus() == io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
      } finally {
        ch.shutdownNow();
      }
    }
  }

  /**
   * A follower's Raft client gives up on a request after its retries (about 4 s without a leader), and
   * Ratis then closes that client for good: the follower must use a fresh one once a leader is back.
   */
  @Test
  void aFollowerForwardsWritesAgainAfterAnOutageLongerThanItsRaftRetries() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir, 3)) {
      int leader = cluster.awaitLeader();
      int survivor = followerOf(cluster);
      int other = cluster.runningIds().stream().filter(id -> id != leader && id != survivor)
          .findFirst().orElseThrow();
      io.grpc.ManagedChannel ch = io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder
          .forTarget(cluster.clientEndpoint(survivor)).usePlaintext().build();
      try {
        var stub = coord.api.v1.CoordGrpc.newBlockingStub(ch);
        stub.withDeadlineAfter(20, java.util.concurrent.TimeUnit.SECONDS).create(coord.api.v1.CreateRequest
            .newBuilder().setPath("/before").build());
        cluster.stopNode(leader);
        cluster.stopNode(other);
        // no retry on our side: this call ends when the survivor's Raft client has given up
        io.grpc.StatusRuntimeException failed = org.assertj.core.api.Assertions.catchThrowableOfType(
            () -> stub.withDeadlineAfter(60, java.util.concurrent.TimeUnit.SECONDS).create(
                coord.api.v1.CreateRequest.newBuilder().setPath("/during").build()),
            io.grpc.StatusRuntimeException.class);
        assertThat(failed.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
        cluster.startNode(leader);
        cluster.startNode(other);
        cluster.awaitLeader();
        try (CoordClient c = client(cluster.clientEndpoint(survivor))) {
          c.create("/after", new byte[0], CreateMode.PERSISTENT);
          assertThat(c.exists("/after")).isPresent();
        }
      } finally {
        ch.shutdownNow();
      }
    }
  }

  private static int followerOf(TestCluster cluster) {
    int leader = cluster.awaitLeader();
    return cluster.runningIds().stream().filter(id -> id != leader).findFirst().orElseThrow();
  }
}
