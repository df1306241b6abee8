package coord.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

/**
 * A closed loop: keeps exactly {@code outstanding} operations in flight on each client, each completion
 * issuing the next one, with no thread per request. Every completion is reported to the {@link Meter}.
 */
final class LoadRunner {
  private final List<BenchClient> clients;
  private final int outstanding;
  private final LoadOp op;
  private final Meter meter;
  private final CountDownLatch stopped;
  /** Where the next op goes when one completed on the issuing thread, so the stack does not grow. */
  private final Executor trampoline = ForkJoinPool.commonPool();
  private volatile boolean running = true;

  LoadRunner(List<BenchClient> clients, int outstanding, LoadOp op, Meter meter) {
    this.clients = List.copyOf(clients);
    this.outstanding = outstanding;
    this.op = op;
    this.meter = meter;
    this.stopped = new CountDownLatch(clients.size() * outstanding);
  }

  /** Starts {@code outstanding} operations on every client; returns at once. */
  void start() {
    for (BenchClient client : clients) {
      for (int i = 0; i < outstanding; i++) {
        issue(client);
      }
    }
  }

  /**
   * Issues no more operations and waits up to {@code drain} for those in flight to complete.
   *
   * @return true when every operation completed in time
   */
  boolean stop(Duration drain) throws InterruptedException {
    running = false;
    return stopped.await(drain.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void issue(BenchClient client) {
    if (!running) {
      stopped.countDown();
      return;
    }
    long sent = System.nanoTime();
    CompletableFuture<?> f;
    try {
      f = op.issue(client);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    boolean completedInline = f.isDone();
    f.whenComplete((value, error) -> {
      if (error == null) {
        long end = value instanceof LoadOp.Arrival a ? a.nanos() : System.nanoTime();
        meter.success(end - sent);
      } else {
        meter.error(error);
      }
      if (completedInline) {
        trampoline.execute(() -> issue(client));
      } else {
        issue(client);
      }
    });
  }
}
