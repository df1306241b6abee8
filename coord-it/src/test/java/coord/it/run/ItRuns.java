package coord.it.run;

import static org.assertj.core.api.Assertions.assertThat;

import coord.it.cluster.Command;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Shared by the fault-run ITs: run folders, seeds and the checks every run must pass. */
final class ItRuns {

  private ItRuns() {}

  /** A fresh run folder under {@code coord.it.runsDir} (the build sets it to target/it-runs). */
  static Path runDir(String name) {
    String base = System.getProperty("coord.it.runsDir", "target/it-runs");
    return Path.of(base, name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
        .toAbsolutePath();
  }

  /** {@code -Dfault.seed=S} repeats a run; otherwise a new seed, printed in the report. */
  static long seed() {
    return Long.getLong("fault.seed", System.currentTimeMillis());
  }

  /** Every enabled fault kind ran at least once, and nothing of the run was left behind. */
  static void assertFaultsRanAndCleanedUp(RunResult r) {
    assertThat(r.enabledFaults()).isNotEmpty();
    assertThat(r.faultsByKind().keySet()).as("fault kinds injected").containsAll(r.enabledFaults());
    assertThat(r.problems()).as("problems").noneMatch(p -> p.startsWith("left after cleanup"));
    String pidPrefix = "cit" + ProcessHandle.current().pid() + "-";
    if (Command.available("ip")) {
      List<String> namespaces = Command.run("ip", "netns", "list").lines().filter(l -> l.startsWith(pidPrefix)).toList();
      assertThat(namespaces).as("namespaces of this JVM after the run").isEmpty();
    }
    assertThat(ProcessHandle.current().children().filter(p -> p.info().command().orElse("").endsWith("java")))
        .as("member JVMs after the run").isEmpty();
  }
}
