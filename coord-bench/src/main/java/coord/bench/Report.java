package coord.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** Prints a run's result: a text table, or one JSON object for scripts. */
final class Report {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Report() {}

  /** The result as a map, in the order of the JSON object. */
  static Map<String, Object> toMap(Settings s, Meter.Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workload", s.workload().cliName);
    m.put("settings", s.toMap());
    m.put("unit", unit(s));
    m.put("ops", r.ops());
    m.put("seconds", round(r.seconds(), 3));
    m.put("ops_per_sec", round(r.opsPerSecond(), 1));
    m.put("errors", r.errors());
    m.put("errors_total", r.errorTotal());
    if (s.workload() == Workload.WATCH_LATENCY) {
      m.put("missed_events", r.errors().getOrDefault(Meter.MISSED_EVENT, 0L));
    }
    Histogram h = r.latencyMicros();
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("p50", h.getValueAtPercentile(50));
    latency.put("p90", h.getValueAtPercentile(90));
    latency.put("p99", h.getValueAtPercentile(99));
    latency.put("p999", h.getValueAtPercentile(99.9));
    latency.put("max", h.getMaxValue());
    latency.put("mean", round(h.getMean(), 1));
    m.put("latency_us", latency);
    return m;
  }

  static String json(Settings s, Meter.Result r) {
    try {
      return JSON.writeValueAsString(toMap(s, r));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(Settings s, Meter.Result r) {
    Histogram h = r.latencyMicros();
    StringBuilder b = new StringBuilder();
    row(b, "workload", s.workload().cliName + " (" + s.workload().description + ")");
    row(b, "system", s.system().name());
    row(b, "endpoints", String.join(",", s.endpoints()));
    if (s.workload() == Workload.WATCH_LATENCY) {
      row(b, "clients", "1 writer x " + s.outstanding() + " outstanding, 1 watcher");
    } else {
      row(b, "clients", s.clients() + " x " + s.outstanding() + " outstanding"
          + (s.workload().spreadsClients() ? ", spread over all members" : ""));
    }
    String detail = s.valueSize() + " B values" + (s.workload().needsKeys() ? ", " + s.keys() + " keys" : "");
    if (s.workload() == Workload.READ || s.workload() == Workload.MIXED) {
      detail += s.stale() ? ", stale reads" : ", linearizable reads";
    }
    if (s.workload() == Workload.MIXED) {
      detail += String.format(", %.0f%% reads", s.readRatio() * 100);
    }
    row(b, "settings", detail);
    row(b, "measured", String.format("%.1f s after %.1f s warm-up", r.seconds(), s.warmup().toMillis() / 1000.0));
    row(b, unit(s), String.format("%,d", r.ops()));
    row(b, unit(s) + "/s", String.format("%,.1f", r.opsPerSecond()));
    row(b, "latency ms", String.format("p50 %s  p90 %s  p99 %s  p99.9 %s  max %s",
        ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(90)), ms(h.getValueAtPercentile(99)),
        ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue())));
    row(b, "errors", r.errors().isEmpty() ? "none" : r.errors().entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")));
    return b.toString();
  }

  private static String unit(Settings s) {
    return s.workload() == Workload.CREATE_DELETE ? "pairs" : "ops";
  }

  private static void row(StringBuilder b, String name, String value) {
    b.append(String.format("%-12s %s%n", name, value));
  }

  private static String ms(long micros) {
    return String.format("%.3f", micros / 1000.0);
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
