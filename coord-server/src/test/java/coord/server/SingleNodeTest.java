package coord.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import coord.api.v1.CreateMode;
import coord.api.v1.Role;
import coord.client.CoordClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Single-node mode (a Raft group of one, like ZooKeeper standalone): serves alone and persists. */
class SingleNodeTest {
  @TempDir Path dir;

  @Test
  void aGroupOfOneServesAndSurvivesRestart() throws Exception {
    try (TestCluster single = TestCluster.start(dir, 1)) {
      assertThat(single.node(1).status().getRole()).isEqualTo(Role.LEADER);
      try (CoordClient c = CoordClient.builder().endpoints(single.clientEndpoints())
          .requestTimeout(Duration.ofSeconds(20)).build()) {
        c.create("/solo", "one".getBytes(UTF_8), CreateMode.PERSISTENT);
        c.setData("/solo", "two".getBytes(UTF_8), 0);
      }
      single.stopNode(1);
      single.startNode(1);
      single.awaitLeader();
      try (CoordClient c = CoordClient.builder().endpoints(single.clientEndpoints())
          .requestTimeout(Duration.ofSeconds(20)).build()) {
        var node = c.getData("/solo");
        assertThat(new String(node.data(), UTF_8)).isEqualTo("two");
        assertThat(node.stat().getVersion()).isEqualTo(1);
      }
    }
  }

  @Test
  void writesAtTheLeaderSkipRatisClientRequestThreads() throws Exception {
    // Ratis runs each request it is handed through RaftServer on a pool of "<id>-client-thread<n>"
    // threads, created on first use; the node hands them to its division, which needs no hand-off.
    // Threads of earlier tests' servers in this JVM may linger, under the same names: compare threads.
    Set<Thread> before = clientRequestThreads();
    try (TestCluster single = TestCluster.start(dir, 1);
        CoordClient c = CoordClient.builder().endpoints(single.clientEndpoints())
            .requestTimeout(Duration.ofSeconds(20)).build()) {
      single.awaitLeader();
      for (int i = 0; i < 20; i++) {
        c.create("/direct-" + i, new byte[] {(byte) i}, CreateMode.PERSISTENT);
      }
      assertThat(c.getChildren("/").names()).hasSizeGreaterThanOrEqualTo(20);
      Set<Thread> started = clientRequestThreads();
      started.removeAll(before);
      assertThat(started).extracting(Thread::getName).isEmpty();
    }
  }

  private static Set<Thread> clientRequestThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().matches("\\d+-client-thread\\d+")) {
        threads.add(t);
      }
    }
    return threads;
  }
}
