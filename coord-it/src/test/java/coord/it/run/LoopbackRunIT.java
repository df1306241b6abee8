package coord.it.run;

import static org.assertj.core.api.Assertions.assertThat;

import coord.it.cluster.ClusterSpec.NetworkMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fallback without network namespaces, also where they exist: members on loopback, process and clock
 * faults only, and the link faults reported as left out.
 */
class LoopbackRunIT {

  @Test
  void processFaultsOnLoopback() throws Exception {
    List<String> kinds = new ArrayList<>(List.of("kill-follower", "pause-leader", "partition-leader"));
    RunConfig config = RunConfig.defaults(ItRuns.runDir("loopback"), Duration.ofSeconds(15), ItRuns.seed())
        .withNetwork(NetworkMode.LOOPBACK).withFaults(kinds).withHold(Duration.ofSeconds(3), Duration.ofSeconds(1));
    RunResult r = new RunDriver(config, List.of(new ProbeSetWorkload())).run();
    assertThat(r.ok()).as("run ok; report %s/report.md; problems %s", r.runDir(), r.problems()).isTrue();
    assertThat(r.network()).startsWith("loopback");
    assertThat(r.enabledFaults()).containsExactlyInAnyOrderElementsOf(
        kinds.stream().filter(k -> !k.equals("partition-leader")).toList());
    assertThat(r.skippedFaults()).anyMatch(s -> s.startsWith("partition-leader (needs network namespaces"));
    ItRuns.assertFaultsRanAndCleanedUp(r);
  }
}
