package coord.it.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coord.api.v1.StatusResponse;
import coord.it.cluster.ClusterSpec;
import coord.it.cluster.ClusterSpec.NetworkMode;
import coord.it.cluster.LinkRules;
import coord.it.cluster.NodeClasspath;
import coord.it.cluster.ProcessCluster;
import coord.it.workload.RegisterWorkload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Link faults without root: members on loopback behind the in-project link proxies ({@code --network proxy}),
 * also where network namespaces exist.
 */
class ProxyRunIT {
  private static final List<String> KINDS = List.of("partition-leader", "partition-follower", "one-way", "loss");

  @Test
  void partitionsAndLossThroughLinkProxies() throws Exception {
    RunConfig config = RunConfig.defaults(ItRuns.runDir("proxy"), Duration.ofSeconds(40), ItRuns.seed())
        .withNetwork(NetworkMode.PROXY).withFaults(KINDS).withHold(Duration.ofSeconds(3), Duration.ofSeconds(1));
    RunResult r = new RunDriver(config,
        List.of(new ProbeSetWorkload(), new RegisterWorkload(3, 0, 4, 200, Duration.ofMillis(20), Duration.ofMillis(100)))).run();
    assertThat(r.ok()).as("run ok; report %s/report.md; problems %s", r.runDir(), r.problems()).isTrue();
    assertThat(r.network()).startsWith("link proxies");
    assertThat(r.enabledFaults()).containsExactlyInAnyOrderElementsOf(KINDS);
    assertThat(r.skippedFaults()).isEmpty();
    ItRuns.assertFaultsRanAndCleanedUp(r);
    assertThat(r.episodes()).allMatch(e -> e.error() == null, "no episode failed to inject or heal");
    // a write is acknowledged again after every leader partition (-1 would mean none came)
    assertThat(r.episodes()).filteredOn(e -> e.kind().equals("partition-leader") || e.kind().equals("one-way"))
        .isNotEmpty().allMatch(e -> e.failoverMs() >= 0, "failover measured");
    assertThat(r.checks()).isNotEmpty().allMatch(c -> c.result().ok());
  }

  /** The proof that a proxy cut is a partition: the cut-off leader is replaced by one of the majority. */
  @Test
  void cutOffLeaderIsReplaced() {
    ClusterSpec spec = ClusterSpec.of(ItRuns.runDir("proxy-failover"), NodeClasspath.resolve(), NetworkMode.PROXY);
    try (ProcessCluster cluster = ProcessCluster.start(spec, Duration.ofSeconds(240))) {
      int old = cluster.awaitLeader(Duration.ofSeconds(60));
      Set<Integer> others = cluster.ids().stream().filter(id -> id != old).collect(Collectors.toSet());
      cluster.network().apply(Map.of(old, LinkRules.cut(others)));

      await().atMost(Duration.ofSeconds(60)).until(() -> leaderAmong(cluster, others));
      // the old leader still answers clients: only its links to the peers are cut
      assertThat(cluster.statuses()).containsKey(old);

      cluster.network().healLinks();
      cluster.awaitWritable(Duration.ofSeconds(60));
      // healed: the old leader answers again and follows the same leader as the others
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        Map<Integer, StatusResponse> st = cluster.statuses();
        return st.size() == cluster.ids().size()
            && st.values().stream().map(StatusResponse::getLeaderId).distinct().count() == 1
            && !st.get(old).getLeaderId().isEmpty();
      });
    }
  }

  private static boolean leaderAmong(ProcessCluster cluster, Set<Integer> members) {
    OptionalInt leader = cluster.leader();
    return leader.isPresent() && members.contains(leader.getAsInt());
  }
}
