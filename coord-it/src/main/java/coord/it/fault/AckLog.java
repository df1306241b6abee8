package coord.it.fault;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Acknowledged writes of one sequential client, in call order: answers "first write acknowledged after t". */
final class AckLog {
  /** An acknowledged write's window, {@code System.nanoTime()}. */
  private record Ack(long callNanos, long returnNanos) {}

  private final List<Ack> acks = new ArrayList<>();

  /** Adds a write; calls must come in increasing {@code callNanos} (one client, one write at a time). */
  synchronized void add(long callNanos, long returnNanos) {
    if (!acks.isEmpty() && acks.get(acks.size() - 1).callNanos() > callNanos) {
      throw new IllegalArgumentException("acks must be added in call order");
    }
    acks.add(new Ack(callNanos, returnNanos));
    notifyAll();
  }

  /** Return time of the first acknowledged write called at or after {@code sinceNanos}, if any yet. */
  synchronized OptionalLong firstAfter(long sinceNanos) {
    int lo = 0;
    int hi = acks.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (acks.get(mid).callNanos() < sinceNanos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < acks.size() ? OptionalLong.of(acks.get(lo).returnNanos()) : OptionalLong.empty();
  }

  /** Waits, at most {@code timeout}, for {@link #firstAfter} to have an answer. */
  synchronized OptionalLong awaitFirstAfter(long sinceNanos, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    OptionalLong ack = firstAfter(sinceNanos);
    while (ack.isEmpty()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return ack;
      }
      wait(Math.max(1, left / 1_000_000));
      ack = firstAfter(sinceNanos);
    }
    return ack;
  }

  synchronized int size() {
    return acks.size();
  }
}
