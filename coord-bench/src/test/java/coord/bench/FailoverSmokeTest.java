package coord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import coord.client.CoordClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coord-bench failover} for one round of each fault against three node processes laid out as
 * cluster.sh lays them out (the in-JVM fixture can neither kill -9 nor freeze a member): the window is
 * measured, writes resume, a new leader is elected and no acknowledged write is lost. Not a benchmark:
 * no figure is compared with a threshold.
 */
class FailoverSmokeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  static ProcessCluster cluster;
  static Bench bench;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = ProcessCluster.start(dir, 3);
    bench = new Bench(cluster.endpoints());
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** A round may have killed a node: bring the cluster back to three before the next test. */
  @BeforeEach
  void allNodesUp() throws Exception {
    cluster.startMissing();
    cluster.awaitAllKnowALeader();
  }

  @Test
  void killOfTheLeader() throws Exception {
    JsonNode round = runOneRound("/smoke-failover-kill", "--no-restart");
    assertThat(round.get("restarted").asBoolean()).isFalse();
  }

  @Test
  void freezeOfTheLeader() throws Exception {
    runOneRound("/smoke-failover-freeze", "--freeze");
  }

  private JsonNode runOneRound(String prefix, String faultOption) throws Exception {
    Bench.Result r = bench.run("failover", faultOption, "--rounds", "1", "--cluster-dir", dir.toString(),
        "--rate", "50", "--clients", "3", "--before", "2s", "--after", "1s", "--prefix", prefix, "-o", "json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = JSON.readTree(r.out());
    assertThat(json.get("workload").asText()).isEqualTo("failover");
    assertThat(json.get("recovered_rounds").asInt()).isEqualTo(1);
    assertThat(json.get("lost").asLong()).isZero();
    assertThat(json.get("unwritable_members_after").size()).isZero();
    assertThat(json.get("stopped_because").isNull()).isTrue();
    JsonNode round = json.get("rounds").get(0);
    assertThat(round.get("window_ms").asDouble()).as(r.err()).isPositive();
    assertThat(round.get("max_gap_ms").asDouble()).isPositive();
    assertThat(round.get("new_leader").asInt()).isNotEqualTo(round.get("leader").asInt());
    assertThat(round.get("acknowledged").asLong()).isPositive().isLessThanOrEqualTo(round.get("sent").asLong());
    assertThat(round.get("lost_writes").size()).isZero();
    assertThat(json.get("window_ms").get("median").asDouble()).isEqualTo(round.get("window_ms").asDouble());
    try (CoordClient c = CoordClient.builder().endpoints(cluster.endpoints()).build()) {
      assertThat(c.exists(prefix)).isEmpty();
    }
    return round;
  }
}
