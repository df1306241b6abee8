package coord.server.fuzz;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** How many requests the fuzzer tried, per category. Thread-safe. */
final class FuzzCounts {
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> nanos = new ConcurrentHashMap<>();

  /** Time spent on a kind of step, for finding what makes a run slow. */
  void addTime(String kind, long elapsedNanos) {
    nanos.computeIfAbsent(kind, c -> new AtomicLong()).addAndGet(elapsedNanos);
  }

  Map<String, Long> millisByKind() {
    Map<String, Long> m = new TreeMap<>();
    nanos.forEach((k, v) -> m.put(k, v.get() / 1_000_000));
    return m;
  }

  void add(String category) {
    counts.computeIfAbsent(category, c -> new AtomicLong()).incrementAndGet();
  }

  long get(String category) {
    AtomicLong c = counts.get(category);
    return c == null ? 0 : c.get();
  }

  long total() {
    return counts.values().stream().mapToLong(AtomicLong::get).sum();
  }

  Map<String, Long> snapshot() {
    Map<String, Long> m = new TreeMap<>();
    counts.forEach((k, v) -> m.put(k, v.get()));
    return m;
  }
}
