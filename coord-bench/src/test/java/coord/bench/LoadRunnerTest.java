package coord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import coord.api.v1.ErrorCode;
import coord.client.CoordException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The closed loop and the meter, with operations that complete on a timer instead of a cluster. */
class LoadRunnerTest {
  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
  /** Never called: the ops below ignore the client they are given. */
  private final BenchClient a = new CoordSystem().connect(List.of("127.0.0.1:1"), Duration.ofSeconds(1));
  private final BenchClient b = new CoordSystem().connect(List.of("127.0.0.1:1"), Duration.ofSeconds(1));

  @AfterEach
  void close() {
    timer.shutdownNow();
    a.close();
    b.close();
  }

  @Test
  void keepsExactlyMOutstandingPerClientAndStopsAtTheOpLimit() throws Exception {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    LoadOp op = client -> {
      maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      CompletableFuture<Void> f = new CompletableFuture<>();
      timer.schedule(() -> {
        inFlight.decrementAndGet();
        f.complete(null);
      }, 1, TimeUnit.MILLISECONDS);
      return f;
    };
    Meter meter = new Meter(500);
    LoadRunner runner = new LoadRunner(List.of(a, b), 3, op, meter);
    runner.start();
    meter.startMeasuring();
    meter.done().get(30, TimeUnit.SECONDS);
    assertThat(runner.stop(Duration.ofSeconds(10))).isTrue();

    Meter.Result r = meter.result();
    assertThat(r.ops()).isEqualTo(500);
    assertThat(r.errors()).isEmpty();
    assertThat(maxInFlight.get()).isEqualTo(6);
    assertThat(inFlight.get()).isZero();
    assertThat(r.latencyMicros().getMinValue()).isGreaterThanOrEqualTo(900);
  }

  @Test
  void errorsAreCountedByCodeAndNotInTheLatencies() throws Exception {
    AtomicInteger n = new AtomicInteger();
    LoadOp op = client -> n.incrementAndGet() % 2 == 0
        ? CompletableFuture.failedFuture(new CoordException(ErrorCode.BAD_VERSION, "/k", "bad version"))
        : CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS));
    Meter meter = new Meter(100);
    LoadRunner runner = new LoadRunner(List.of(a), 2, op, meter);
    meter.startMeasuring();
    runner.start();
    meter.done().get(30, TimeUnit.SECONDS);
    assertThat(runner.stop(Duration.ofSeconds(10))).isTrue();

    Meter.Result r = meter.result();
    assertThat(r.ops()).isEqualTo(100);
    assertThat(r.errors()).containsOnlyKeys("BAD_VERSION");
    assertThat(r.errors().get("BAD_VERSION")).isGreaterThanOrEqualTo(99);
  }

  @Test
  void aWatchEventThatArrivesBeforeTheSetResponseStillMatches() throws Exception {
    WatchMatcher matcher = new WatchMatcher(Duration.ofMillis(200));
    matcher.changed(7, System.nanoTime());
    assertThat(matcher.await(7).get(1, TimeUnit.SECONDS).nanos()).isPositive();

    CompletableFuture<LoadOp.Arrival> waiting = matcher.await(8);
    matcher.changed(8, System.nanoTime());
    assertThat(waiting.get(1, TimeUnit.SECONDS).nanos()).isPositive();

    CompletableFuture<LoadOp.Arrival> missed = matcher.await(9);
    assertThat(missed).failsWithin(Duration.ofSeconds(2));
    assertThat(Meter.errorName(missed.handle((v, e) -> e).get())).isEqualTo(Meter.MISSED_EVENT);
  }
}
