package coord.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Prints the result of a fault drill: per-round figures and their median and max, as text or JSON. */
final class FaultReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FaultReport() {}

  static Map<String, Object> failover(FaultSettings s, FailoverDrill.Result result) {
    List<FailoverDrill.Round> rounds = result.rounds();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workload", s.workload().cliName);
    m.put("settings", s.toMap());
    List<Map<String, Object>> list = new ArrayList<>();
    for (FailoverDrill.Round r : rounds) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("round", r.round());
      o.put("leader", r.leader());
      o.put("pid", r.pid());
      o.put("fault_at", r.faultAt());
      o.put("window_ms", r.windowMs());
      o.put("window_by_member_ms", r.windowByMember());
      o.put("max_gap_ms", r.maxGapMs());
      o.put("new_leader", r.newLeader());
      o.put("new_leader_ms", r.newLeaderMs());
      o.put("sent", r.sent());
      o.put("acknowledged", r.acked());
      o.put("failed", r.failed());
      o.put("unanswered", r.unanswered());
      o.put("lost", r.lost().size());
      o.put("lost_writes", r.lost());
      o.put("restarted", r.restarted());
      list.add(o);
    }
    m.put("rounds", list);
    m.put("recovered_rounds", rounds.stream().filter(r -> r.windowMs() != null).count());
    m.put("window_ms", stats(rounds, FailoverDrill.Round::windowMs));
    m.put("max_gap_ms", stats(rounds, FailoverDrill.Round::maxGapMs));
    m.put("new_leader_ms", stats(rounds, FailoverDrill.Round::newLeaderMs));
    m.put("acknowledged", rounds.stream().mapToLong(FailoverDrill.Round::acked).sum());
    m.put("lost", rounds.stream().mapToLong(r -> r.lost().size()).sum());
    m.put("unwritable_members_after", result.unwritableAfter());
    m.put("stopped_because", result.stoppedBecause());
    return m;
  }

  static Map<String, Object> sessionExpiry(FaultSettings s, List<SessionExpiryDrill.Round> rounds) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("workload", s.workload().cliName);
    m.put("settings", s.toMap());
    List<Map<String, Object>> list = new ArrayList<>();
    for (SessionExpiryDrill.Round r : rounds) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("round", r.round());
      o.put("owner_endpoint", r.ownerEndpoint());
      o.put("watcher_endpoint", r.watcherEndpoint());
      o.put("session_timeout_ms", r.sessionTimeoutMs());
      o.put("first_gone_ms", r.firstGoneMs());
      o.put("all_gone_ms", r.allGoneMs());
      o.put("deleted_events", r.deletedEvents());
      o.put("remaining", r.remaining());
      list.add(o);
    }
    m.put("rounds", list);
    m.put("session_timeout_ms", rounds.isEmpty() ? null : rounds.get(0).sessionTimeoutMs());
    m.put("all_gone_ms", stats(rounds, SessionExpiryDrill.Round::allGoneMs));
    m.put("remaining", rounds.stream().mapToLong(SessionExpiryDrill.Round::remaining).sum());
    return m;
  }

  static String json(Map<String, Object> report) {
    try {
      return JSON.writeValueAsString(report);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String failoverText(FaultSettings s, FailoverDrill.Result result) {
    List<FailoverDrill.Round> rounds = result.rounds();
    Map<String, Object> m = failover(s, result);
    StringBuilder b = new StringBuilder();
    row(b, "workload", s.workload().cliName + " (" + s.workload().description + ")");
    row(b, "endpoints", String.join(",", s.endpoints()));
    row(b, "settings", String.format("%s of the leader, %d creates/s from %d clients spread over the members, "
        + "%.1f s before the fault, %.1f s after recovery, %d round(s)", s.freeze() ? "SIGSTOP" : "kill -9",
        s.rate(), s.clients(), s.before().toMillis() / 1000.0, s.after().toMillis() / 1000.0, s.rounds()));
    for (FailoverDrill.Round r : rounds) {
      row(b, "round " + r.round(), String.format("leader node %d: window %s (by the clients' first member: %s), max gap %s, "
          + "new leader %s after %s; %,d sent, %,d acknowledged, %s failed, %d lost%s", r.leader(), ms(r.windowMs()),
          r.windowByMember().entrySet().stream().map(e -> e.getKey() + " " + ms(e.getValue()))
              .collect(Collectors.joining(", ")), ms(r.maxGapMs()),
          r.newLeader() == null ? "?" : "node " + r.newLeader(), ms(r.newLeaderMs()), r.sent(), r.acked(),
          r.failed().isEmpty() ? "none" : r.failed().toString(), r.lost().size(),
          r.lost().isEmpty() ? "" : " " + r.lost()));
    }
    row(b, "window", summary(m.get("window_ms")) + " (fault -> first acknowledgement of a write sent after it)");
    row(b, "max gap", summary(m.get("max_gap_ms")) + " (longest time without an acknowledgement)");
    row(b, "new leader", summary(m.get("new_leader_ms")) + " (fault -> another member reports itself leader)");
    row(b, "lost", m.get("lost") + " of " + m.get("acknowledged") + " acknowledged writes");
    if (!result.unwritableAfter().isEmpty()) {
      row(b, "NOT WRITABLE", "after the last round, writes through these members fail: " + result.unwritableAfter());
    }
    if (result.stoppedBecause() != null) {
      row(b, "STOPPED", "after round " + rounds.size() + " of " + s.rounds() + ": " + result.stoppedBecause());
    }
    return b.toString();
  }

  static String sessionExpiryText(FaultSettings s, List<SessionExpiryDrill.Round> rounds) {
    Map<String, Object> m = sessionExpiry(s, rounds);
    StringBuilder b = new StringBuilder();
    row(b, "workload", s.workload().cliName + " (" + s.workload().description + ")");
    row(b, "endpoints", String.join(",", s.endpoints()));
    row(b, "settings", String.format("%d ephemerals, session timeout %d ms asked, %d round(s)",
        s.ephemerals(), s.sessionTimeout().toMillis(), s.rounds()));
    for (SessionExpiryDrill.Round r : rounds) {
      row(b, "round " + r.round(), String.format("client on %s, watcher on %s, timeout %d ms: all gone after %s "
          + "(first after %s), %d left", r.ownerEndpoint(), r.watcherEndpoint(), r.sessionTimeoutMs(),
          ms(r.allGoneMs()), ms(r.firstGoneMs()), r.remaining()));
    }
    row(b, "all gone", summary(m.get("all_gone_ms")) + " (kill -9 -> the watcher saw the last deletion), "
        + "session timeout " + m.get("session_timeout_ms") + " ms");
    row(b, "remaining", String.valueOf(m.get("remaining")));
    return b.toString();
  }

  /** {"median": .., "max": ..} over the rounds that have the figure, or nulls when none has it. */
  static <R> Map<String, Object> stats(List<R> rounds, Function<R, Double> figure) {
    List<Double> v = rounds.stream().map(figure).filter(Objects::nonNull).sorted().toList();
    Map<String, Object> m = new LinkedHashMap<>();
    if (v.isEmpty()) {
      m.put("median", null);
      m.put("max", null);
      return m;
    }
    int n = v.size();
    double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    m.put("median", Math.round(median * 100) / 100.0);
    m.put("max", v.get(n - 1));
    return m;
  }

  @SuppressWarnings("unchecked")
  private static String summary(Object stats) {
    Map<String, Object> m = (Map<String, Object>) stats;
    return "median " + ms((Double) m.get("median")) + ", max " + ms((Double) m.get("max"));
  }

  private static String ms(Double v) {
    return v == null ? "-" : String.format("%,.0f ms", v);
  }

  private static void row(StringBuilder b, String name, String value) {
    b.append(String.format("%-12s %s%n", name, value));
  }
}
