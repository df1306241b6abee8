package coord.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Pairs the writer's write responses with the watcher's events by the write's place in the total order
 * (coord's and ZooKeeper's zxid, etcd's revision), whichever comes first. {@link #changed} runs on the
 * watcher client's event thread; {@link #await} on the writer's threads. Never blocks.
 */
final class WatchMatcher implements BenchClient.ChangeListener {
  /** An event that did not arrive within the wait: counted as {@link Meter#MISSED_EVENT}. */
  static final class MissedEventException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissedEventException(long zxid, Duration wait) {
      super("no watch event for change 0x" + Long.toHexString(zxid) + " within " + wait.toMillis() + " ms");
    }
  }

  private final Duration wait;
  /** zxid -> the writer's future waiting for its event, or the arrival time (Long) of an early event. */
  private final ConcurrentHashMap<Long, Object> pending = new ConcurrentHashMap<>();

  WatchMatcher(Duration wait) {
    this.wait = wait;
  }

  @Override
  public void changed(long zxid, long arrivalNanos) {
    Object waiting = pending.putIfAbsent(zxid, arrivalNanos);
    if (waiting instanceof CompletableFuture<?> f) {
      pending.remove(zxid);
      complete(f, arrivalNanos);
    }
  }

  /** Completes with the arrival time of the event of {@code zxid}, or fails with a missed event. */
  CompletableFuture<LoadOp.Arrival> await(long zxid) {
    CompletableFuture<LoadOp.Arrival> f = new CompletableFuture<>();
    Object arrived = pending.putIfAbsent(zxid, f);
    if (arrived instanceof Long nanos) {
      pending.remove(zxid);
      return CompletableFuture.completedFuture(new LoadOp.Arrival(nanos));
    }
    return f.orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS).handle((arrival, error) -> {
      if (error == null) {
        return arrival;
      }
      pending.remove(zxid, f);
      throw new MissedEventException(zxid, wait);
    });
  }

  @SuppressWarnings("unchecked")
  private static void complete(CompletableFuture<?> f, long nanos) {
    ((CompletableFuture<LoadOp.Arrival>) f).complete(new LoadOp.Arrival(nanos));
  }
}
