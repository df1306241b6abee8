package coord.it.check;

import coord.it.fault.FaultLog;
import coord.it.workload.CheckResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sessions and their ephemerals ({@link SessionRecord}s). Each session ends the run in one of three fates:
 *
 * <ul>
 *   <li><b>expired</b>: its client saw {@code EXPIRED} (before it died, if it died): every ephemeral must be
 *       gone at the end;
 *   <li><b>died</b>: its client was cut off at {@code DEATH}: every ephemeral must be gone at the end, and
 *       each acknowledged one must be seen deleted no later than the death + the session timeout +
 *       {@code grace}. A fault episode that starts before that deadline moves the start of the wait to
 *       its heal (a new leader gives every session a fresh timeout). A deletion not seen by
 *       {@code stopNanos} (the run's end, before the cluster restart) is late if the deadline had
 *       passed by then, else it is checked for "gone at the end" only. A deletion seen before the death while the client was connected is premature;
 *   <li><b>live</b>: its client saw neither; it must end connected, and still own every acknowledged
 *       ephemeral, none of which may have been seen deleted.
 * </ul>
 *
 * A definitely failed create must be absent at the end; an indeterminate one may exist only while its
 * session lives.
 */
public final class EphemeralChecker {

  private static final class Session {
    final long id;
    int slot;
    long timeoutMs;
    Long deathNanos;
    Long expiredNanos;
    final List<SessionRecord> states = new ArrayList<>();
    final List<SessionRecord> creates = new ArrayList<>();

    Session(long id) {
      this.id = id;
    }

    String fate() {
      if (expiredNanos != null && (deathNanos == null || expiredNanos < deathNanos)) {
        return "expired";
      }
      return deathNanos != null ? "died" : "live";
    }

    /** The client's state at {@code nanos} (CONNECTED before any report). */
    String stateAt(long nanos) {
      String s = "CONNECTED";
      for (SessionRecord r : states) {
        if (r.nanos() <= nanos) {
          s = r.state();
        }
      }
      return s;
    }

    String lastState() {
      return states.isEmpty() ? "CONNECTED" : states.get(states.size() - 1).state();
    }

    @Override
    public String toString() {
      return "session 0x" + Long.toHexString(id) + " (slot " + slot + ", " + fate() + ")";
    }
  }

  /**
   * @param records every record of the run, in any order
   * @param faults the run's fault timeline
   * @param grace what deletion may take beyond the session timeout
   * @param stopNanos when the workload stopped; deletions due later are not timed
   */
  public CheckResult check(List<SessionRecord> records, FaultLog faults, Duration grace, long stopNanos) {
    Map<Long, Session> sessions = new LinkedHashMap<>();
    Map<String, Long> deletedAt = new HashMap<>();
    Map<String, Long> finalOwner = new HashMap<>();
    Long observerEnded = null;
    for (SessionRecord r : records) {
      switch (r.kind()) {
        case "OPEN" -> {
          Session s = sessions.computeIfAbsent(r.session(), Session::new);
          s.slot = r.slot();
          s.timeoutMs = r.timeoutMs();
        }
        case "CREATE" -> sessions.computeIfAbsent(r.session(), Session::new).creates.add(r);
        case "STATE" -> {
          Session s = sessions.computeIfAbsent(r.session(), Session::new);
          s.states.add(r);
          if ("EXPIRED".equals(r.state()) && s.expiredNanos == null) {
            s.expiredNanos = r.nanos();
          }
        }
        case "DEATH" -> sessions.computeIfAbsent(r.session(), Session::new).deathNanos = r.nanos();
        case "DELETED" -> deletedAt.putIfAbsent(r.path(), r.nanos());
        case "OBSERVER_ENDED" -> observerEnded = observerEnded == null ? r.nanos() : Math.min(observerEnded, r.nanos());
        case "FINAL" -> finalOwner.put(r.path(), r.session());
        default -> throw new IllegalArgumentException("unknown session record kind: " + r);
      }
    }
    sessions.values().forEach(s -> s.states.sort(Comparator.comparingLong(SessionRecord::nanos)));

    List<String> violations = new ArrayList<>();
    int ephemerals = 0;
    int acknowledged = 0;
    int timed = 0;
    long maxLatencyNanos = -1;
    Map<String, Integer> fates = new LinkedHashMap<>();
    for (Session s : sessions.values()) {
      fates.merge(s.fate(), 1, Integer::sum);
      if (s.fate().equals("live") && s.lastState().equals("SUSPENDED")) {
        violations.add("live " + s + " is still SUSPENDED at the end: its client never learnt its fate");
      }
      long deadline = s.deathNanos == null ? Long.MAX_VALUE : deadline(s, faults, grace);
      for (SessionRecord c : s.creates) {
        ephemerals++;
        Long owner = finalOwner.get(c.path());
        if (owner == null) {
          violations.add("no final read of " + c.path());
          continue;
        }
        boolean present = owner != 0;
        boolean acked = "OK".equals(c.status());
        if (acked) {
          acknowledged++;
        }
        if ("FAIL".equals(c.status())) {
          if (present) {
            violations.add("definitely failed " + describe(c) + " of " + s + " exists at the end");
          }
          continue;
        }
        if (present && owner != s.id) {
          violations.add(c.path() + " of " + s + " is owned by 0x" + Long.toHexString(owner) + " at the end");
          continue;
        }
        Long deleted = deletedAt.get(c.path());
        switch (s.fate()) {
          case "live" -> {
            if (acked && (!present || deleted != null)) {
              violations.add("premature deletion: acknowledged " + describe(c) + " of live " + s
                  + (present ? " was seen deleted" : " is gone at the end") + " (client state " + s.lastState() + ")");
            }
          }
          case "expired" -> {
            if (present) {
              violations.add(describe(c) + " outlived its " + s);
            }
          }
          default -> {
            if (present) {
              violations.add("never deleted: " + describe(c) + " of " + s + " exists at the end");
              continue;
            }
            if (!acked) {
              continue;
            }
            if (deleted != null && deleted < s.deathNanos && !s.stateAt(deleted).equals("SUSPENDED")) {
              violations.add("premature deletion: " + describe(c) + " of " + s + " was seen deleted "
                  + ms(s.deathNanos - deleted) + " before its client died, while " + s.stateAt(deleted));
              continue;
            }
            if (deleted == null || deleted > stopNanos) {
              // Not seen by the end of the run: late only if its deadline had passed by then.
              if (deadline < stopNanos && (deleted != null || observerEnded == null)) {
                violations.add((deleted == null ? "unobserved deletion: " : "late deletion: ") + describe(c) + " of " + s
                    + " was not seen deleted by the end of the run, " + ms(stopNanos - s.deathNanos)
                    + " after its client died; bound " + ms(deadline - s.deathNanos));
              }
              continue;
            }
            timed++;
            maxLatencyNanos = Math.max(maxLatencyNanos, deleted - s.deathNanos);
            if (deleted > deadline) {
              violations.add("late deletion: " + describe(c) + " of " + s + " was seen deleted "
                  + ms(deleted - s.deathNanos) + " after its client died; bound " + ms(deadline - s.deathNanos)
                  + " (timeout " + s.timeoutMs + " ms + grace " + grace.toMillis() + " ms, after faults)");
            }
          }
        }
      }
    }
    String summary = String.format(
        "%d sessions %s, %d ephemerals (%d acknowledged), %d deletions timed (max %s after death): %d violations",
        sessions.size(), fates, ephemerals, acknowledged, timed, maxLatencyNanos < 0 ? "-" : ms(maxLatencyNanos), violations.size());
    if (observerEnded != null) {
      summary += " (observer watch ended early)";
    }
    if (!violations.isEmpty()) {
      summary += "; first: " + violations.get(0);
    }
    return new CheckResult("ephemerals", violations.isEmpty(), ephemerals, violations.size(), summary);
  }

  /** Death + timeout + grace, where a fault before that deadline restarts the wait at its heal. */
  static long deadline(Session s, FaultLog faults, Duration grace) {
    long wait = s.timeoutMs * 1_000_000L + grace.toNanos();
    long base = s.deathNanos;
    List<FaultLog.Episode> episodes = new ArrayList<>(faults.episodes());
    episodes.sort(Comparator.comparingLong(FaultLog.Episode::startNanos));
    for (FaultLog.Episode e : episodes) {
      if (e.startNanos() <= base + wait) {
        if (e.healNanos() < 0) {
          return Long.MAX_VALUE;
        }
        base = Math.max(base, e.healNanos());
      }
    }
    return base + wait;
  }

  private static String describe(SessionRecord create) {
    return create.status() + " create " + create.path();
  }

  private static String ms(long nanos) {
    return nanos / 1_000_000 + " ms";
  }
}
