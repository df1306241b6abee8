package coord.it.workload;

import coord.it.fault.FaultLog;
import java.util.List;

/**
 * One kind of recorded client load with its own checkers. The run driver calls, in order: {@link
 * #setUp} (cluster healthy), {@link #start}, faults for a while, {@link #stop}, heal, kill all nodes
 * and restart them, then {@link #check}.
 */
public interface Workload {

  /** Short name used in reports and file names, e.g. {@code register}. */
  String name();

  /** Creates what the workload needs (its znodes, sessions) while the cluster is healthy. */
  void setUp(WorkloadContext ctx) throws Exception;

  /** Starts the workload's client threads and returns at once. */
  void start(WorkloadContext ctx);

  /** Stops issuing operations; waits, bounded by the op timeout, for in-flight ones to end. */
  void stop() throws InterruptedException;

  /**
   * With every fault healed and the cluster restarted: final reads, then the verdicts of this
   * workload's checkers. {@code faults} is the run's fault timeline.
   */
  List<CheckResult> check(WorkloadContext ctx, FaultLog faults) throws Exception;
}
