package coord.it.workload;

import coord.client.CoordClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A workload's clients: client {@code i} has its own {@link CoordClient} pinned to member {@code i mod n}
 * and runs its step in a loop ({@link ClientThreads}) until {@link #stop}, which also closes the clients.
 */
final class PinnedClientLoops {

  /** Makes client {@code process}'s step. */
  @FunctionalInterface
  interface Steps {
    ClientThreads.Step of(int process, CoordClient client);
  }

  private final ClientThreads threads;
  private final Duration grace;
  private final List<CoordClient> clients = new ArrayList<>();

  private PinnedClientLoops(String name, Duration grace) {
    this.threads = new ClientThreads(name);
    this.grace = grace;
  }

  /** Starts {@code count} clients, each pausing {@code pause} between steps. */
  static PinnedClientLoops start(String name, WorkloadContext ctx, int count, Duration pause, Steps steps) {
    // an op in flight at stop may take its whole timeout
    PinnedClientLoops loops = new PinnedClientLoops(name, ctx.opTimeout().plusSeconds(2));
    for (int i = 0; i < count; i++) {
      CoordClient client = Clients.pinned(ctx, i);
      loops.clients.add(client);
      loops.threads.start(i, pause, steps.of(i, client));
    }
    return loops;
  }

  /** Stops the loops (see {@link ClientThreads#stop}), then closes the clients. */
  void stop() throws InterruptedException {
    threads.stop(grace);
    clients.forEach(CoordClient::close);
    clients.clear();
  }
}
