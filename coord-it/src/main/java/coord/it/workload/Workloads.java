package coord.it.workload;

import coord.it.run.ProbeSetWorkload;
import java.util.List;

/**
 * The workloads a standard run drives. Placeholder on the harness branch: one probe set workload, so the
 * harness runs end to end; the workloads branch replaces this class with the real set (register, set,
 * sequential, watch, sessions).
 */
public final class Workloads {

  private Workloads() {}

  public static List<Workload> standard() {
    return List.of(new ProbeSetWorkload());
  }
}
