package coord.bench;

import java.util.Arrays;
import java.util.Optional;

/** The workloads {@code coord-bench} runs, by the name given on the command line. */
enum Workload {
  WRITE("write", "setData of --value-size bytes on --keys existing znodes"),
  CREATE_DELETE("create-delete", "create a PERSISTENT_SEQUENTIAL znode, then delete it (one op = the pair)"),
  READ("read", "getData of --keys znodes, linearizable (or --stale), clients spread over all members"),
  MIXED("mixed", "--read-ratio getData, the rest setData, clients spread over all members"),
  WATCH_LATENCY("watch-latency", "time from a setData's send to its event at a watcher on another member"),
  FAILOVER("failover", "steady creates while the leader is killed (or --freeze: stopped): time until writes resume"),
  SESSION_EXPIRY("session-expiry", "a client holding ephemerals is killed: time until a watcher sees them gone");

  final String cliName;
  final String description;

  Workload(String cliName, String description) {
    this.cliName = cliName;
    this.description = description;
  }

  static Optional<Workload> byName(String name) {
    return Arrays.stream(values()).filter(w -> w.cliName.equals(name)).findFirst();
  }

  static String names() {
    return String.join(", ", Arrays.stream(values()).map(w -> w.cliName).toList());
  }

  /** Whether the workload is a fault drill with runs of its own ({@link FaultDrills}), not a closed load loop. */
  boolean isFaultDrill() {
    return this == FAILOVER || this == SESSION_EXPIRY;
  }

  /** Whether the workload needs the --keys znodes created before the run. */
  boolean needsKeys() {
    return this != CREATE_DELETE;
  }

  /** Whether each client starts at its own member (client i at endpoint i mod n) rather than the first. */
  boolean spreadsClients() {
    return this == READ || this == MIXED;
  }
}
