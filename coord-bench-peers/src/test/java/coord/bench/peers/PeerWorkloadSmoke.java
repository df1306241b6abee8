package coord.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import coord.bench.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each standard workload runs for about a second through coord-bench's own runner against a real server
 * of a peer system: it does some operations, none fails, the report names the system, and the prefix is
 * gone afterwards. Not a benchmark.
 */
abstract class PeerWorkloadSmoke {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The --system name. */
  abstract String system();

  /** The server's endpoints, host:port[,host:port]. */
  abstract String endpoints();

  /** Whether {@code prefix} (or anything under it) exists on the server. */
  abstract boolean exists(String prefix) throws Exception;

  record Run(int exit, String out, String err) {}

  Run bench(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), Map.of(), args);
    return new Run(exit, out.toString(), err.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"write", "create-delete", "read", "read --stale", "mixed", "watch-latency"})
  void runsForASecond(String workloadAndFlags) throws Exception {
    String workload = workloadAndFlags.split(" ")[0];
    String prefix = "/smoke-" + workloadAndFlags.replace(" --", "-");
    List<String> args = new ArrayList<>(List.of(workloadAndFlags.split(" ")));
    args.addAll(List.of("--system", system(), "--endpoints", endpoints(), "--duration", "1s", "--warmup", "200ms",
        "--outstanding", "4", "--keys", "50", "--prefix", prefix, "-o", "json"));
    if (!workload.equals("watch-latency")) {
      args.addAll(List.of("--clients", "2"));
    }
    Run r = bench(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    JsonNode json = JSON.readTree(r.out());
    assertThat(json.get("workload").asText()).isEqualTo(workload);
    assertThat(json.get("settings").get("system").asText()).isEqualTo(system());
    assertThat(json.get("ops").asLong()).as(r.out() + r.err()).isPositive();
    assertThat(json.get("errors_total").asLong()).as(r.out()).isZero();
    assertThat(json.get("latency_us").get("p99").asLong()).isPositive();
    if (workload.equals("watch-latency")) {
      assertThat(json.get("missed_events").asLong()).isZero();
    }
    assertThat(exists(prefix)).as(prefix + " deleted").isFalse();
  }

  @org.junit.jupiter.api.Test
  void anExistingPrefixIsRefusedWithExitThree() throws Exception {
    Run kept = bench("write", "--system", system(), "--endpoints", endpoints(), "--ops", "20", "--warmup", "0",
        "--clients", "1", "--outstanding", "1", "--keys", "5", "--prefix", "/smoke-keep", "--keep");
    assertThat(kept.exit()).as(kept.err()).isZero();
    assertThat(exists("/smoke-keep")).isTrue();
    Run again = bench("write", "--system", system(), "--endpoints", endpoints(), "--ops", "20", "--warmup", "0",
        "--prefix", "/smoke-keep");
    assertThat(again.exit()).as(again.err()).isEqualTo(3);
    assertThat(again.err()).contains("/smoke-keep exists already");
  }
}
