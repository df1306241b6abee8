package coord.it.workload;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What a workload gets from the run driver.
 *
 * @param endpoints client endpoints ({@code host:port}) of the members, in member order
 * @param runDir folder for this run's histories and logs (the workload writes {@code <name>.jsonl})
 * @param seed seed for every random choice the workload makes, so a run can be repeated
 * @param opTimeout client-side timeout of one operation; past it the outcome is indeterminate
 * @param sessionTimeout session timeout the workload asks for, where it uses sessions
 */
public record WorkloadContext(
    List<String> endpoints, Path runDir, long seed, Duration opTimeout, Duration sessionTimeout) {

  public WorkloadContext {
    endpoints = List.copyOf(endpoints);
  }
}
