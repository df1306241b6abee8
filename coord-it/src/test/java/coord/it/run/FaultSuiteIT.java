package coord.it.run;

import static org.assertj.core.api.Assertions.assertThat;

import coord.it.workload.Workloads;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The CI profile of the fault suite: the standard workloads under 60 s of faults (and at least one episode of
 * every kind), every kind the machine supports (partitions in network namespaces when root, else through the
 * link proxies; kills, pauses, and clock jumps on one member with a shifted wall clock), then the
 * full-cluster kill -9 and restart, the digest comparison and every checker.
 */
class FaultSuiteIT {

  @Test
  void standardWorkloadsPassUnderFaults() throws Exception {
    RunConfig config = RunConfig.defaults(ItRuns.runDir("fault-suite"), Duration.ofSeconds(60), ItRuns.seed())
        .withHold(Duration.ofSeconds(3), Duration.ofSeconds(1)).withClock(true);
    RunResult r = new RunDriver(config, Workloads.standard()).run();
    assertThat(r.ok()).as("run ok; report %s/report.md; problems %s", r.runDir(), r.problems()).isTrue();
    ItRuns.assertFaultsRanAndCleanedUp(r);
    assertThat(r.digestsEqual()).isTrue();
    assertThat(r.checks()).isNotEmpty().allMatch(c -> c.result().ok());
  }
}
