package coord.it.workload;

import java.time.Duration;
import java.util.List;

/** The standard workloads of a fault run. */
public final class Workloads {
  private Workloads() {}

  /**
   * Sizes of the standard workloads. The defaults suit a 2-core machine that also runs the three
   * nodes: about 23 client threads that pause between operations, roughly 180 operations per second.
   *
   * @param registerClients register clients, spread over the members
   * @param registerReaders register clients that only read, spread over the members
   * @param registerKeys live register keys
   * @param opsPerKey operations on one register key before it is replaced by a fresh one
   * @param setClients clients of the set (lost writes) workload
   * @param sequentialClients clients of the sequential workload
   * @param watchers watchers, spread over the members
   * @param watchWriters writers of the watch workload
   * @param watchKeys keys per watch writer
   * @param sessionOwners session owner slots
   * @param ephemeralsPerOwner ephemerals each session creates
   * @param ownerLifetime mean time an owner lives before it is cut off
   * @param expiryGrace what ephemeral deletion may take beyond the session timeout: 2 x the election
   *     timeout max + 1 s (the brief's bound), plus a second of observation slack; the fault runs use
   *     election timeouts of up to 2 s, hence 6 s
   * @param pause each client's pause between operations
   * @param readerPause each register reader's pause between reads
   */
  public record Options(int registerClients, int registerReaders, int registerKeys, int opsPerKey, int setClients,
      int sequentialClients, int watchers, int watchWriters, int watchKeys, int sessionOwners,
      int ephemeralsPerOwner, Duration ownerLifetime, Duration expiryGrace, Duration pause, Duration readerPause) {

    public static Options defaults() {
      return new Options(6, 3, 8, 200, 2, 2, 3, 1, 4, 3, 2, Duration.ofSeconds(6), Duration.ofSeconds(6),
          Duration.ofMillis(20), Duration.ofMillis(100));
    }
  }

  /** The standard workloads with {@link Options#defaults()}. */
  public static List<Workload> standard() {
    return standard(Options.defaults());
  }

  /** register, set, sequential, watch and sessions, sized by {@code o}. */
  public static List<Workload> standard(Options o) {
    return List.of(
        new RegisterWorkload(o.registerClients(), o.registerReaders(), o.registerKeys(), o.opsPerKey(), o.pause(),
            o.readerPause()),
        new SetWorkload(o.setClients(), o.pause()),
        new SequentialWorkload(o.sequentialClients(), o.pause()),
        new WatchWorkload(o.watchers(), o.watchWriters(), o.watchKeys(), o.pause()),
        new SessionsWorkload(o.sessionOwners(), o.ephemeralsPerOwner(), o.ownerLifetime(), o.expiryGrace()));
  }
}
