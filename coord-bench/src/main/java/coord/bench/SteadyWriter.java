package coord.bench;

import coord.api.v1.CreateMode;
import coord.client.CoordClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An open loop of creates at a fixed rate: write k creates {@code parent/w-k} (a unique persistent znode)
 * through client {@code k mod clients}, whether or not earlier ones have been answered, so that a stall
 * shows as a gap in the acknowledgements rather than as fewer writes sent. Records when each write was
 * sent and acknowledged (System.nanoTime).
 */
final class SteadyWriter {
  /** How often the pacer wakes to send the writes that are due. */
  private static final long TICK_MICROS = 2_000;

  /** One acknowledged write, sent through client number {@code client}. */
  record Ack(String path, int client, long sentNanos, long ackNanos) {}

  private final List<CoordClient> clients;
  private final String parent;
  private final int rate;
  private final byte[] value;
  private final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final AtomicLong inFlight = new AtomicLong();
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "coord-bench-pacer");
    t.setDaemon(true);
    return t;
  });
  private volatile long sent;
  private long begin;
  private ScheduledFuture<?> ticks;

  SteadyWriter(List<CoordClient> clients, String parent, int rate, int valueSize) {
    this.clients = List.copyOf(clients);
    this.parent = parent;
    this.rate = rate;
    this.value = new byte[valueSize];
  }

  void start() {
    begin = System.nanoTime();
    ticks = pacer.scheduleAtFixedRate(this::sendDue, 0, TICK_MICROS, TimeUnit.MICROSECONDS);
  }

  /** Sends no more writes; those in flight go on. */
  void stopSending() throws InterruptedException {
    ticks.cancel(false);
    pacer.shutdown();
    pacer.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Waits up to {@code limit} for the writes in flight to be answered; true when none is left. */
  boolean awaitAnswered(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    synchronized (inFlight) {
      while (inFlight.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(inFlight, left);
      }
    }
    return true;
  }

  /** The first acknowledgement of a write sent at or after {@code nanos}, if any yet. */
  java.util.OptionalLong firstAckOfWriteSentFrom(long nanos) {
    return acks.stream().filter(a -> a.sentNanos() >= nanos).mapToLong(Ack::ackNanos).min();
  }

  /** Per client number, the first acknowledgement of a write it sent at or after {@code nanos}. */
  Map<Integer, Long> firstAckByClientOfWritesSentFrom(long nanos) {
    Map<Integer, Long> m = new TreeMap<>();
    for (Ack a : acks) {
      if (a.sentNanos() >= nanos) {
        m.merge(a.client(), a.ackNanos(), Math::min);
      }
    }
    return m;
  }

  /** The acknowledged writes so far, by acknowledgement time. */
  List<Ack> acks() {
    List<Ack> all = new ArrayList<>(acks);
    all.sort(Comparator.comparingLong(Ack::ackNanos));
    return all;
  }

  /** Failed writes by error code (their outcome is unknown: they may or may not have been applied). */
  Map<String, Long> failures() {
    Map<String, Long> m = new TreeMap<>();
    failures.forEach((k, v) -> m.put(k, v.sum()));
    return m;
  }

  /** Writes sent so far. */
  long sent() {
    return sent;
  }

  /** On the pacer thread: sends every write due by now at {@code rate} per second. */
  private void sendDue() {
    long due = (System.nanoTime() - begin) * rate / 1_000_000_000L + 1;
    while (sent < due) {
      send(sent++);
    }
  }

  private void send(long k) {
    int index = (int) (k % clients.size());
    CoordClient client = clients.get(index);
    String path = parent + "/w-" + k;
    inFlight.incrementAndGet();
    long at = System.nanoTime();
    client.createAsync(path, value, CreateMode.PERSISTENT).whenComplete((created, error) -> {
      long now = System.nanoTime();
      if (error == null) {
        acks.add(new Ack(path, index, at, now));
      } else {
        failures.computeIfAbsent(Meter.errorName(error), x -> new LongAdder()).increment();
      }
      synchronized (inFlight) {
        inFlight.decrementAndGet();
        inFlight.notifyAll();
      }
    });
  }
}
