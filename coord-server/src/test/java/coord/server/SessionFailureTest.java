package coord.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coord.api.v1.CoordGrpc;
import coord.api.v1.CreateRequest;
import coord.api.v1.ExistsRequest;
import coord.api.v1.SetDataRequest;
import coord.api.v1.WatchEvent;
import coord.api.v1.WatchMode;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions and watches across failures: a killed client process, a leader change, a killed node. */
class SessionFailureTest {
  @TempDir Path dir;

  private static Properties fastTicks() {
    Properties p = new Properties();
    p.setProperty("tickTime", "200");
    p.setProperty("minSessionTimeout", "1000");
    p.setProperty("maxSessionTimeout", "10000");
    return p;
  }

  private static ManagedChannel channel(TestCluster c, int node) {
    return NettyChannelBuilder.forTarget(c.clientEndpoint(node)).usePlaintext().build();
  }

  private static CoordGrpc.CoordBlockingStub stub(ManagedChannel ch) {
    return CoordGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private static boolean exists(ManagedChannel ch, String path) {
    return stub(ch).exists(ExistsRequest.newBuilder().setPath(path).build()).getExists();
  }

  @Test
  void ephemeralOfAKilledClientProcessGoesWithinTimeoutPlusATick() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir, 3, fastTicks())) {
      String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process owner = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
          EphemeralOwnerMain.class.getName(), cluster.clientEndpoint(2), "/owned", "2000")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      ManagedChannel reader = channel(cluster, 3);
      try {
        BufferedReader out = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        assertThat(ready).startsWith("READY ");
        long timeoutMs = Long.parseLong(ready.split(" ")[2]);
        assertThat(timeoutMs).isEqualTo(2000);
        assertThat(exists(reader, "/owned")).isTrue();

        owner.destroyForcibly(); // SIGKILL: no goodbye
        assertThat(owner.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long killed = System.nanoTime();
        // not before the timeout (minus the owner's last heartbeat period) ...
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
            .until(() -> !exists(reader, "/owned"));
        long goneAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        assertThat(goneAfterMs).isGreaterThanOrEqualTo(timeoutMs - timeoutMs / 4 - 100);
        // ... and within timeout + one tick, plus slack for committing the expiry on a loaded 2-core machine
        assertThat(goneAfterMs).isLessThan(timeoutMs + 200 + 3000);
      } finally {
        owner.destroyForcibly();
        reader.shutdownNow();
      }
    }
  }

  @Test
  void ephemeralSurvivesALeaderChangeWhileItsOwnerIsAlive() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir, 3, fastTicks())) {
      int leader = cluster.awaitLeader();
      int home = cluster.runningIds().stream().filter(id -> id != leader).findFirst().orElseThrow();
      ManagedChannel ch = channel(cluster, home);
      try (RawClients.Session s = new RawClients.Session(ch, 1000)) {
        stub(ch).create(CreateRequest.newBuilder().setPath("/keep").setMode(coord.api.v1.CreateMode.EPHEMERAL)
            .setSessionId(s.id).build());
        cluster.stopNode(leader);
        int newLeader = cluster.awaitLeader();
        assertThat(newLeader).isNotEqualTo(leader);
        // several session timeouts pass under the new leader: the heartbeating owner keeps its node
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * s.timeoutMs);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
          assertThat(exists(ch, "/keep")).isTrue();
          return System.nanoTime() > until;
        });
      } finally {
        ch.shutdownNow();
      }
    }
  }

  @Test
  void aWatchResumedOnAnotherNodeAfterItsNodeDiesMissesNothing() throws Exception {
    try (TestCluster cluster = TestCluster.start(dir, 3, fastTicks())) {
      int leader = cluster.awaitLeader();
      int watchNode = cluster.runningIds().stream().filter(id -> id != leader).findFirst().orElseThrow();
      int otherNode = cluster.runningIds().stream().filter(id -> id != leader && id != watchNode)
          .findFirst().orElseThrow();
      ManagedChannel writer = NettyChannelBuilder.forTarget(cluster.clientEndpoints().split(",")[leader - 1])
          .usePlaintext().build();
      ManagedChannel first = channel(cluster, watchNode);
      ManagedChannel second = channel(cluster, otherNode);
      try {
        stub(writer).create(CreateRequest.newBuilder().setPath("/feed").build());
        RawClients.WatchStream w1 = new RawClients.WatchStream(first);
        w1.add(1, "/feed", WatchMode.WATCH_PERSISTENT_RECURSIVE, null);
        List<Long> acked = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
          acked.add(stub(writer).create(CreateRequest.newBuilder().setPath("/feed/n" + i).build())
              .getHeader().getZxid());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> w1.events(1).size() >= 10);
        cluster.stopNode(watchNode);
        for (int i = 0; i < 30; i++) {
          acked.add(stub(writer).setData(SetDataRequest.newBuilder().setPath("/feed/n" + i).build())
              .getHeader().getZxid());
        }
        List<WatchEvent> seen = new ArrayList<>(w1.events(1));
        long last = seen.get(seen.size() - 1).getZxid();
        RawClients.WatchStream w2 = new RawClients.WatchStream(second);
        w2.add(1, "/feed", WatchMode.WATCH_PERSISTENT_RECURSIVE, last);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.size() + w2.events(1).size() >= acked.size());
        seen.addAll(w2.events(1));
        assertThat(seen).extracting(WatchEvent::getZxid).containsExactlyElementsOf(acked);
      } finally {
        writer.shutdownNow();
        first.shutdownNow();
        second.shutdownNow();
      }
    }
  }
}
