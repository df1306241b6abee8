package coord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import coord.client.CoordClient;
import coord.server.TestCluster;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coord-bench session-expiry} against an in-JVM cluster with short sessions: the client is a child
 * JVM killed with kill -9, so its session ends as a crashed client's does. Every ephemeral goes, none
 * before the session could have expired. Not a benchmark.
 */
class SessionExpirySmokeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void ephemeralsOfAKilledClientAllGo() throws Exception {
    Properties fastTicks = new Properties();
    fastTicks.setProperty("tickTime", "200");
    fastTicks.setProperty("minSessionTimeout", "1000");
    try (TestCluster cluster = TestCluster.start(dir, 3, fastTicks)) {
      Bench.Result r = new Bench(cluster.clientEndpoints()).run("session-expiry", "--ephemerals", "100",
          "--session-timeout", "2s", "--rounds", "2", "--prefix", "/smoke-expiry", "-o", "json");
      assertThat(r.exit()).as(r.err()).isZero();
      JsonNode json = JSON.readTree(r.out());
      assertThat(json.get("workload").asText()).isEqualTo("session-expiry");
      assertThat(json.get("session_timeout_ms").asLong()).isEqualTo(2000);
      assertThat(json.get("remaining").asLong()).isZero();
      assertThat(json.get("rounds")).hasSize(2);
      for (JsonNode round : json.get("rounds")) {
        assertThat(round.get("deleted_events").asInt()).isEqualTo(100);
        assertThat(round.get("remaining").asInt()).isZero();
        assertThat(round.get("owner_endpoint").asText()).isNotEqualTo(round.get("watcher_endpoint").asText());
        // the client's last keep-alive can precede the kill by a third of the timeout, no more
        assertThat(round.get("all_gone_ms").asDouble()).isGreaterThanOrEqualTo(2000 - 2000 / 3.0 - 100);
        assertThat(round.get("first_gone_ms").asDouble()).isLessThanOrEqualTo(round.get("all_gone_ms").asDouble());
      }
      assertThat(json.get("all_gone_ms").get("max").asDouble()).isPositive();
      try (CoordClient c = CoordClient.builder().endpoints(cluster.clientEndpoints()).build()) {
        assertThat(c.exists("/smoke-expiry")).isEmpty();
      }
    }
  }
}
