package coord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import coord.client.CoordClient;
import coord.server.TestCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each workload runs for about a second against a real 3-node cluster: it does some operations, none
 * fails, the JSON report has its fields, and the prefix is gone afterwards. Not a benchmark.
 */
class WorkloadSmokeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;

  static TestCluster cluster;
  static Bench bench;
  static CoordClient client;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = TestCluster.start(dir, 3);
    bench = new Bench(cluster.clientEndpoints());
    client = CoordClient.builder().endpoints(cluster.clientEndpoints()).build();
  }

  @AfterAll
  static void stopCluster() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"write", "create-delete", "read", "mixed", "watch-latency"})
  void runsForASecond(String workload) throws Exception {
    String prefix = "/smoke-" + workload;
    List<String> args = new ArrayList<>(List.of(workload, "--duration", "1s", "--warmup", "200ms",
        "--outstanding", "4", "--keys", "50", "--prefix", prefix, "-o", "json"));
    if (!workload.equals("watch-latency")) {
      args.addAll(List.of("--clients", "2"));
    }
    Bench.Result r = bench.run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode json = JSON.readTree(r.out());
    assertThat(json.get("workload").asText()).isEqualTo(workload);
    assertThat(json.get("ops").asLong()).as(r.out() + r.err()).isPositive();
    assertThat(json.get("ops_per_sec").asDouble()).isPositive();
    assertThat(json.get("errors").size()).as(r.out()).isZero();
    assertThat(json.get("errors_total").asLong()).isZero();
    assertThat(json.get("settings").get("prefix").asText()).isEqualTo(prefix);
    JsonNode latency = json.get("latency_us");
    for (String p : new String[] {"p50", "p90", "p99", "p999", "max"}) {
      assertThat(latency.get(p).asLong()).as(p).isPositive();
    }
    assertThat(latency.get("p50").asLong()).isLessThanOrEqualTo(latency.get("max").asLong());
    if (workload.equals("watch-latency")) {
      assertThat(json.get("missed_events").asLong()).isZero();
    }
    assertThat(client.exists(prefix)).isEmpty();
  }

  @Test
  void staleReadsAndAnOpCountInText() {
    Bench.Result r = bench.run("read", "--stale", "--ops", "200", "--warmup", "0", "--clients", "3",
        "--outstanding", "2", "--keys", "10", "--prefix", "/smoke-stale");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("read", "stale reads", "ops          200", "p99.9", "errors       none");
  }

  @Test
  void keepLeavesTheKeysAndAnExistingPrefixIsRefused() {
    Bench.Result kept = bench.run("write", "--ops", "20", "--warmup", "0", "--clients", "1",
        "--outstanding", "1", "--keys", "5", "--prefix", "/smoke-keep", "--keep");
    assertThat(kept.exit()).as(kept.err()).isZero();
    assertThat(client.getChildren("/smoke-keep").names()).hasSize(5);

    Bench.Result again = bench.run("write", "--ops", "20", "--warmup", "0", "--prefix", "/smoke-keep");
    assertThat(again.exit()).isEqualTo(3);
    assertThat(again.err()).contains("/smoke-keep exists already");
    assertThat(client.getChildren("/smoke-keep").names()).hasSize(5);
  }

  @Test
  void anUnreachableClusterFailsSetupWithExitFive() {
    Bench.Result r = new Bench("127.0.0.1:1").run("write", "--ops", "1", "--timeout", "500ms");
    assertThat(r.exit()).isEqualTo(5);
    // refused connections (UNAVAILABLE) or a spent budget (TIMEOUT): which comes first depends on timing
    assertThat(r.err()).contains("setup failed").containsAnyOf("UNAVAILABLE", "TIMEOUT");
  }
}
