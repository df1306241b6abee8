package coord.it.run;

import static org.assertj.core.api.Assertions.assertThat;

import coord.it.workload.Workloads;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Proof that the suite can fail: runs the standard workloads against members started with a server
 * failpoint that breaks one guarantee, and requires the run to fail on the checker made for it. Needs the
 * server failpoints and the real workloads (register and watch checkers); it runs in the default build,
 * alone with {@code mvn -B verify -pl coord-it -am -Dit.test=BrokenBuildIT}.
 */
class BrokenBuildIT {

  /**
   * Reads answered from local state without a read index: visible when a cut-off member keeps reading while
   * the majority writes. Only partitions (network namespaces, or the link proxies without root) make that
   * window seconds long: a paused member reads nothing, and catches up within milliseconds of waking. The
   * partitions are held long enough that the cut-off member's clients read again after a write timed out.
   */
  @Test
  void staleReadsFailTheLinearizabilityCheck() throws Exception {
    RunResult r = run("stale-reads", List.of("partition-leader", "partition-follower"), "broken-stale-reads",
        Duration.ofSeconds(7));
    assertThat(r.failedChecks()).as("failed checks; report %s/report.md", r.runDir())
        .anyMatch(c -> c.result().checker().toLowerCase().contains("lineariz"));
  }

  /** A member silently drops some watch events. */
  @Test
  void droppedWatchEventsFailTheWatchCheck() throws Exception {
    RunResult r = run("drop-watch-event", List.of("kill-follower", "pause-follower"), "broken-drop-watch-event",
        Duration.ofSeconds(4));
    assertThat(r.failedChecks()).as("failed checks; report %s/report.md", r.runDir())
        .anyMatch(c -> c.result().checker().toLowerCase().contains("watch"));
  }

  private static RunResult run(String failpoint, List<String> faults, String name, Duration hold) throws Exception {
    RunConfig config = RunConfig.defaults(ItRuns.runDir(name), Duration.ofSeconds(45), ItRuns.seed())
        .withFailpoint(failpoint).withFaults(faults).withHold(hold, Duration.ofSeconds(1));
    RunResult r = new RunDriver(config, Workloads.standard()).run();
    assertThat(r.ok()).as("a run with failpoint %s must fail; report %s/report.md", failpoint, r.runDir()).isFalse();
    assertThat(r.failpoint()).isEqualTo(failpoint);
    return r;
  }
}
