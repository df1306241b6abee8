package coord.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * One benchmark run: setup (the prefix and its keys) before the clock starts, warm-up, measurement with a
 * progress line on stderr once a second, then cleanup (the whole prefix) unless {@code --keep}. The
 * system under test is reached through its {@link BenchSystem} driver only.
 */
final class BenchRun {
  /** How many setup creates are in flight at once. */
  private static final int SETUP_WINDOW = 256;

  private final Settings s;
  private final BenchSystem system;
  private final PrintWriter progress;

  BenchRun(Settings settings, PrintWriter progress) {
    this.s = settings;
    this.system = settings.system();
    this.progress = progress;
  }

  /**
   * Runs the benchmark.
   *
   * @throws SetupException when setup fails (e.g. {@code PREFIX_EXISTS}: the prefix is there already)
   */
  Meter.Result run() throws InterruptedException {
    byte[] value = new byte[s.valueSize()];
    new Random(42).nextBytes(value);
    List<BenchClient> clients = new ArrayList<>();
    try (BenchClient admin = client(s.endpoints())) {
      admin.createPrefix(s.prefix());
      Thread onInterrupt = new Thread(this::cleanupOnExit, "coord-bench-cleanup");
      if (!s.keep()) {
        Runtime.getRuntime().addShutdownHook(onInterrupt);
      }
      try {
        setup(admin, value);
        if (s.workload() == Workload.WATCH_LATENCY) {
          return watchLatency(clients, value);
        }
        for (int i = 0; i < s.clients(); i++) {
          clients.add(client(s.endpointsOfClient(i)));
        }
        return measure(clients, Loads.of(s, value));
      } finally {
        clients.forEach(BenchClient::close);
        if (!s.keep()) {
          cleanup(admin);
          removeHook(onInterrupt);
        }
      }
    }
  }

  /**
   * One writer (at the first member) sets the keys in turn; one watcher (at the next member) holds a
   * persistent recursive watch on the prefix. An op completes when its event arrives at the watcher.
   */
  private Meter.Result watchLatency(List<BenchClient> clients, byte[] value) throws InterruptedException {
    List<String> eps = s.endpoints();
    List<String> watcherEndpoints = new ArrayList<>(eps.subList(1 % eps.size(), eps.size()));
    watcherEndpoints.addAll(eps.subList(0, 1 % eps.size()));
    BenchClient writer = client(eps);
    clients.add(writer);
    BenchClient watcher = client(watcherEndpoints);
    clients.add(watcher);
    WatchMatcher matcher = new WatchMatcher(s.requestTimeout());
    BenchClient.Subscription watch = watcher.watchChanges(s.prefix(), matcher);
    try {
      AtomicInteger next = new AtomicInteger();
      LoadOp op = client -> client
          .write(s.key(Math.floorMod(next.getAndIncrement(), s.keys())), value)
          .thenCompose(matcher::await);
      return measure(List.of(writer), op);
    } finally {
      watch.close();
    }
  }

  private Meter.Result measure(List<BenchClient> clients, LoadOp op) throws InterruptedException {
    Meter meter = new Meter(s.ops(), system::errorName);
    LoadRunner runner = new LoadRunner(clients, s.outstanding(), op, meter);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "coord-bench-progress");
      t.setDaemon(true);
      return t;
    });
    long begin = System.nanoTime();
    ProgressLine line = new ProgressLine(meter, begin);
    ticker.scheduleAtFixedRate(line::print, 1, 1, TimeUnit.SECONDS);
    try {
      runner.start();
      TimeUnit.NANOSECONDS.sleep(s.warmup().toNanos());
      meter.startMeasuring();
      if (s.duration() != null) {
        try {
          meter.done().get(s.duration().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
          // the usual end of a timed run
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(e);
        }
      } else {
        meter.done().join();
      }
      meter.finish();
      if (!runner.stop(s.requestTimeout().multipliedBy(2).plusSeconds(5))) {
        progress.println("coord-bench: some operations were still in flight when the run ended");
      }
    } finally {
      ticker.shutdownNow();
    }
    return meter.result();
  }

  /** Creates what the workload needs under the prefix, which exists already. */
  private void setup(BenchClient admin, byte[] value) {
    if (s.workload() == Workload.CREATE_DELETE) {
      try {
        admin.create(Loads.seqParent(s), new byte[0]).join();
      } catch (java.util.concurrent.CompletionException e) {
        throw SetupException.of(system, "create " + Loads.seqParent(s), e);
      }
    }
    if (!s.workload().needsKeys()) {
      return;
    }
    progress.printf("coord-bench: creating %d keys under %s%n", s.keys(), s.prefix());
    progress.flush();
    for (int from = 0; from < s.keys(); from += SETUP_WINDOW) {
      List<CompletableFuture<?>> window = new ArrayList<>();
      for (int i = from; i < Math.min(s.keys(), from + SETUP_WINDOW); i++) {
        window.add(admin.create(s.key(i), value));
      }
      try {
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
      } catch (java.util.concurrent.CompletionException e) {
        throw SetupException.of(system, "create the keys", e);
      }
    }
  }

  private void cleanup(BenchClient admin) {
    try {
      admin.deleteAll(s.prefix());
    } catch (RuntimeException e) {
      progress.println("coord-bench: cleanup of " + s.prefix() + " failed: " + system.errorName(Meter.unwrap(e))
          + ": " + e.getMessage());
    }
  }

  /** The shutdown hook of a run stopped by Ctrl-C: deletes the prefix with a client of its own. */
  private void cleanupOnExit() {
    progress.println("coord-bench: interrupted, deleting " + s.prefix());
    progress.flush();
    try (BenchClient c = system.connect(s.endpoints(), Duration.ofSeconds(5))) {
      c.deleteAll(s.prefix());
    } catch (RuntimeException e) {
      progress.println("coord-bench: could not delete " + s.prefix() + ": " + e.getMessage());
      progress.flush();
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already: the hook runs and finds the prefix gone
    }
  }

  private BenchClient client(List<String> endpoints) {
    return system.connect(endpoints, s.requestTimeout());
  }

  /** Prints "[  3s] warmup|measure  N ops/s  (p50 .. p99 .. ms)  errors N" once a second. */
  private final class ProgressLine {
    private final Meter meter;
    private final long begin;
    private long lastCompleted;
    private long lastNanos;

    ProgressLine(Meter meter, long begin) {
      this.meter = meter;
      this.begin = begin;
      this.lastNanos = begin;
    }

    void print() {
      long now = System.nanoTime();
      long completed = meter.completedAllPhases();
      double rate = (completed - lastCompleted) / ((now - lastNanos) / 1e9);
      lastCompleted = completed;
      lastNanos = now;
      Meter.Phase phase = meter.phase();
      StringBuilder b = new StringBuilder(String.format("[%4ds] %-7s %,10.0f ops/s",
          Duration.ofNanos(now - begin).toSeconds(), phase.name().toLowerCase(java.util.Locale.ROOT), rate));
      if (phase == Meter.Phase.MEASURE) {
        Histogram h = meter.interval();
        if (h.getTotalCount() > 0) {
          b.append(String.format("  p50 %.2f ms  p99 %.2f ms",
              h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0));
        }
      }
      b.append("  errors ").append(meter.errorCount());
      progress.println(b);
      progress.flush();
    }
  }
}
