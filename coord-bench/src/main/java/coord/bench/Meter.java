package coord.bench;

import coord.client.CoordException;
import java.util.Map;
import java.util.function.Function;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts what a run does: latencies (µs, HdrHistogram) and completed operations while measuring, errors
 * by name (the system's error code) from the start of the warm-up to the end. Phases: warm-up, then measure (from
 * {@link #startMeasuring}), then done (from {@link #finish}, or the {@code opLimit}-th measured op).
 *
 * <p>Thread-safe: {@link #success} and {@link #error} are called on the clients' threads and
 * never block; {@link #interval} from the one progress thread; the rest from the run's main thread.
 */
final class Meter {
  /** Reported for a watch event that did not arrive in time (see {@link WatchMatcher}). */
  static final String MISSED_EVENT = "MISSED_EVENT";

  enum Phase { WARMUP, MEASURE, DONE }

  private final Recorder recorder = new Recorder(3);
  private final Histogram total = new Histogram(3);
  private final long opLimit;
  private final Function<Throwable, String> errorNames;
  private final AtomicLong measured = new AtomicLong();
  private final LongAdder completedAllPhases = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile Phase phase = Phase.WARMUP;
  private volatile long startNanos;
  private volatile long endNanos;

  /** A meter that names errors by their coord error code. */
  Meter(long opLimit) {
    this(opLimit, new CoordSystem()::errorName);
  }

  /**
   * @param opLimit the number of measured ops after which the run is done; 0 for no limit
   * @param errorNames the system's name of a failure (see {@link BenchSystem#errorName})
   */
  Meter(long opLimit, Function<Throwable, String> errorNames) {
    this.opLimit = opLimit;
    this.errorNames = errorNames;
  }

  /** An operation that succeeded after {@code latencyNanos}. */
  void success(long latencyNanos) {
    completedAllPhases.increment();
    if (phase != Phase.MEASURE) {
      return;
    }
    long n = measured.incrementAndGet();
    if (opLimit > 0 && n > opLimit) {
      return;
    }
    recorder.recordValue(Math.max(1, latencyNanos / 1000));
    if (n == opLimit) {
      finish();
    }
  }

  /** An operation that failed: counted by its error name. */
  void error(Throwable t) {
    errors.computeIfAbsent(errorName(t, errorNames), k -> new LongAdder()).increment();
  }

  /** The coord error code of a failure, or {@link #MISSED_EVENT}. */
  static String errorName(Throwable t) {
    return errorName(t, cause -> CoordException.fromThrowable(cause).code().name());
  }

  static String errorName(Throwable t, Function<Throwable, String> errorNames) {
    Throwable cause = unwrap(t);
    if (cause instanceof WatchMatcher.MissedEventException) {
      return MISSED_EVENT;
    }
    if (cause instanceof java.util.concurrent.TimeoutException) {
      return "TIMEOUT";
    }
    return errorNames.apply(cause);
  }

  /** The failure inside the wrappers of futures. */
  static Throwable unwrap(Throwable t) {
    Throwable cause = t;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  synchronized void startMeasuring() {
    recorder.reset();
    startNanos = System.nanoTime();
    phase = Phase.MEASURE;
  }

  /** Ends the measurement (idempotent); later completions are not counted. */
  synchronized void finish() {
    if (phase == Phase.MEASURE) {
      endNanos = System.nanoTime();
      phase = Phase.DONE;
      done.complete(null);
    }
  }

  Phase phase() {
    return phase;
  }

  /** Completes when the measurement ends: at {@link #finish}, or when the op limit is reached. */
  CompletableFuture<Void> done() {
    return done;
  }

  /** Operations completed in any phase so far (for the progress line). */
  long completedAllPhases() {
    return completedAllPhases.sum();
  }

  long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** The latencies recorded since the previous call; they are added to the run's total too. */
  synchronized Histogram interval() {
    Histogram h = recorder.getIntervalHistogram();
    total.add(h);
    return h;
  }

  /** The run's result; call after {@link #finish} and after in-flight operations have drained. */
  synchronized Result result() {
    interval();
    double seconds = (endNanos - startNanos) / 1e9;
    Map<String, Long> errorCounts = new TreeMap<>();
    errors.forEach((code, n) -> errorCounts.put(code, n.sum()));
    return new Result(total.copy(), seconds, errorCounts);
  }

  /** The measured latencies (µs), the measured seconds, and the errors by code. */
  record Result(Histogram latencyMicros, double seconds, Map<String, Long> errors) {
    long ops() {
      return latencyMicros.getTotalCount();
    }

    double opsPerSecond() {
      return seconds > 0 ? ops() / seconds : 0;
    }

    long errorTotal() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
