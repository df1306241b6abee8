package coord.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark run's validated settings. {@code duration} is null when the run is bounded by
 * {@code ops} instead (and {@code ops} is 0 when bounded by duration).
 */
record Settings(
    Workload workload,
    List<String> endpoints,
    int clients,
    int outstanding,
    int valueSize,
    int keys,
    Duration duration,
    long ops,
    Duration warmup,
    boolean stale,
    double readRatio,
    String prefix,
    boolean keep,
    Duration requestTimeout,
    BenchSystem system) {

  /** The endpoints client {@code i} uses, starting with the member it is pinned to. */
  List<String> endpointsOfClient(int i) {
    if (!workload.spreadsClients()) {
      return endpoints;
    }
    int n = endpoints.size();
    int first = i % n;
    return java.util.stream.IntStream.range(0, n).mapToObj(k -> endpoints.get((first + k) % n)).toList();
  }

  /** The key path of index {@code i}. */
  String key(int i) {
    return prefix + "/key-" + i;
  }

  /** The settings as they appear in the JSON report. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("system", system.name());
    m.put("endpoints", String.join(",", endpoints));
    m.put("clients", clients);
    m.put("outstanding", outstanding);
    m.put("value_size", valueSize);
    m.put("keys", keys);
    m.put("duration_s", duration == null ? null : duration.toMillis() / 1000.0);
    m.put("ops_limit", ops == 0 ? null : ops);
    m.put("warmup_s", warmup.toMillis() / 1000.0);
    if (workload == Workload.READ || workload == Workload.MIXED) {
      m.put("stale", stale);
    }
    if (workload == Workload.MIXED) {
      m.put("read_ratio", readRatio);
    }
    m.put("prefix", prefix);
    return m;
  }
}
