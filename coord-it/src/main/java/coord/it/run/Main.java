package coord.it.run;

import coord.it.workload.Workloads;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/** Command line of the run driver ({@code coord-it/soak.sh} runs it): exit 0 when the run passed, 1 when not. */
public final class Main {

  private Main() {}

  public static void main(String[] args) throws Exception {
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.print(RunConfig.USAGE);
      return;
    }
    RunConfig config;
    try {
      Path defaultDir = Path.of("coord-it", "target", "runs",
          "run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
      config = RunConfig.parse(args, defaultDir);
    } catch (RunConfig.UsageException e) {
      System.err.println("coord-it: " + e.getMessage());
      System.err.print(RunConfig.USAGE);
      System.exit(2);
      return;
    }
    RunResult result = new RunDriver(config, Workloads.standard()).run();
    System.out.println((result.ok() ? "PASS" : "FAIL") + ": report " + Path.of(result.runDir()).resolve(RunReports.MARKDOWN)
        + " and " + RunReports.JSON + " (seed " + result.seed() + ")");
    result.problems().forEach(p -> System.out.println("  " + p));
    System.exit(result.ok() ? 0 : 1);
  }
}
