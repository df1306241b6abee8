package coord.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validated settings of a fault drill ({@code failover} or {@code session-expiry}). {@code clusterDir}
 * is null when no cluster.sh data folder is known; {@code restartScript} is null when killed nodes are not
 * restarted by this tool (no checkout known, or {@code --no-restart}).
 */
record FaultSettings(
    Workload workload,
    List<String> endpoints,
    int clients,
    String prefix,
    Duration requestTimeout,
    int rounds,
    int rate,
    boolean freeze,
    Duration before,
    Duration after,
    Path clusterDir,
    Path restartScript,
    int ephemerals,
    Duration sessionTimeout) {

  /** Client {@code i}'s endpoints, starting with member {@code i mod n}: clients spread over the members. */
  List<String> endpointsFrom(int i) {
    int n = endpoints.size();
    return java.util.stream.IntStream.range(0, n).mapToObj(k -> endpoints.get((i + k) % n)).toList();
  }

  /** The settings as they appear in the JSON report. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("endpoints", String.join(",", endpoints));
    m.put("rounds", rounds);
    if (workload == Workload.FAILOVER) {
      m.put("fault", freeze ? "sigstop" : "kill-9");
      m.put("clients", clients);
      m.put("rate", rate);
      m.put("before_s", before.toMillis() / 1000.0);
      m.put("after_s", after.toMillis() / 1000.0);
      m.put("cluster_dir", clusterDir == null ? null : clusterDir.toString());
      m.put("restart", restartScript != null);
    } else {
      m.put("ephemerals", ephemerals);
      m.put("session_timeout_ms", sessionTimeout.toMillis());
    }
    m.put("timeout_s", requestTimeout.toMillis() / 1000.0);
    m.put("prefix", prefix);
    return m;
  }
}
