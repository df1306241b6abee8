package coord.it.check;

import coord.it.workload.CheckResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Watch streams, after etcd's robustness validators. All watchers watch the same subtree from the same
 * start zxid, and the run ends with a final write (zxid {@code finalZxid}) that every watcher must reach.
 * Violations:
 *
 * <ul>
 *   <li><b>ordered</b>: within a watcher, a new listener call whose zxid is not above the previous one,
 *       or one call mixing zxids;
 *   <li><b>unique</b>: the same (zxid, type, path) twice for one watcher;
 *   <li><b>resumable</b>: an event at or below the start zxid; a watch that ended ({@code COMPACTED},
 *       {@code ERROR} markers);
 *   <li><b>agreement</b>: two watchers saw different events for one zxid;
 *   <li><b>reliable</b>: a zxid up to {@code finalZxid} that some watcher saw and another did not (a gap);
 *       a watcher that did not reach {@code finalZxid};
 *   <li><b>complete</b>: an acknowledged write whose event is in no stream (by zxid where the write
 *       reported one, else by path and type: a path's deletes are matched by count);
 *   <li><b>phantom</b>: an event on a path no write touched.
 * </ul>
 */
public final class WatchChecker {

  private record Event(String type, String path) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int c = path.compareTo(o.path);
      return c != 0 ? c : type.compareTo(o.type);
    }

    @Override
    public String toString() {
      return type + " " + path;
    }
  }

  /**
   * @param writes every recorded write of the watched paths (the final write included)
   * @param events every recorded event and marker, in arrival order per watcher
   * @param watchers the ids of all watchers (a watcher that got nothing is still checked)
   * @param root the watched path; events on it need not match a recorded write's path set
   * @param startZxid the zxid every watch started after
   * @param finalZxid the zxid of the final write every watcher must reach
   */
  public CheckResult check(List<WatchWrite> writes, List<WatchEventRecord> events, List<Integer> watchers,
      String root, long startZxid, long finalZxid) {
    List<String> violations = new ArrayList<>();
    Map<Integer, List<WatchEventRecord>> byWatcher = new LinkedHashMap<>();
    watchers.forEach(w -> byWatcher.put(w, new ArrayList<>()));
    for (WatchEventRecord e : events) {
      byWatcher.computeIfAbsent(e.watcher(), w -> new ArrayList<>()).add(e);
    }

    // Per watcher: ordered, unique, resumable; and its view zxid -> events.
    Map<Integer, TreeMap<Long, Set<Event>>> views = new LinkedHashMap<>();
    for (Map.Entry<Integer, List<WatchEventRecord>> w : byWatcher.entrySet()) {
      TreeMap<Long, Set<Event>> view = new TreeMap<>();
      views.put(w.getKey(), view);
      WatchEventRecord prev = null;
      for (WatchEventRecord e : w.getValue()) {
        if (e.isMarker()) {
          violations.add("resumable: watcher " + w.getKey() + "'s watch ended: " + e);
          continue;
        }
        if (e.zxid() <= startZxid) {
          violations.add("resumable: watcher " + w.getKey() + " got " + e + " at or below the start zxid " + startZxid);
        }
        if (prev != null) {
          if (e.batch() == prev.batch() && e.zxid() != prev.zxid()) {
            violations.add("ordered: watcher " + w.getKey() + " got zxids " + prev.zxid() + " and " + e.zxid()
                + " in one call");
          } else if (e.batch() != prev.batch() && e.zxid() <= prev.zxid()) {
            violations.add("ordered: watcher " + w.getKey() + " got " + e + " after " + prev);
          }
        }
        if (!view.computeIfAbsent(e.zxid(), z -> new TreeSet<>()).add(new Event(e.type(), e.path()))) {
          violations.add("unique: watcher " + w.getKey() + " got " + e + " twice");
        }
        prev = e;
      }
    }

    // Agreement and the merged history up to finalZxid.
    TreeMap<Long, Set<Event>> merged = new TreeMap<>();
    Map<Long, Integer> firstSeenBy = new HashMap<>();
    for (Map.Entry<Integer, TreeMap<Long, Set<Event>>> v : views.entrySet()) {
      for (Map.Entry<Long, Set<Event>> z : v.getValue().headMap(finalZxid, true).entrySet()) {
        Set<Event> known = merged.putIfAbsent(z.getKey(), z.getValue());
        if (known == null) {
          firstSeenBy.put(z.getKey(), v.getKey());
        } else if (!known.equals(z.getValue())) {
          violations.add("agreement: at zxid " + z.getKey() + " watcher " + firstSeenBy.get(z.getKey()) + " got "
              + known + " but watcher " + v.getKey() + " got " + z.getValue());
        }
      }
    }

    // Reliable: every watcher has every merged zxid and reached finalZxid.
    long gaps = 0;
    for (Map.Entry<Integer, TreeMap<Long, Set<Event>>> v : views.entrySet()) {
      TreeMap<Long, Set<Event>> view = v.getValue();
      if (view.isEmpty() || view.lastKey() < finalZxid) {
        violations.add("reliable: watcher " + v.getKey() + " did not reach the final zxid " + finalZxid
            + " (last: " + (view.isEmpty() ? "none" : view.lastKey()) + ")");
      }
      long reached = view.isEmpty() ? startZxid : Math.min(view.lastKey(), finalZxid);
      for (Map.Entry<Long, Set<Event>> z : merged.headMap(reached, true).entrySet()) {
        if (!view.containsKey(z.getKey())) {
          gaps++;
          if (gaps == 1) {
            violations.add("reliable: watcher " + v.getKey() + " missed zxid " + z.getKey() + " " + z.getValue()
                + " that watcher " + firstSeenBy.get(z.getKey()) + " got");
          }
        }
      }
    }

    // Complete: every acknowledged write appears; phantom: no event on a path never written.
    Set<String> written = new HashSet<>();
    Map<String, Integer> ackedDeletes = new HashMap<>();
    for (WatchWrite w : writes) {
      written.add(w.path());
      if (!w.ok()) {
        continue;
      }
      if (w.zxid() != null) {
        Set<Event> at = merged.get(w.zxid());
        if (w.zxid() <= finalZxid && (at == null || !at.contains(new Event(w.eventType(), w.path())))) {
          violations.add("complete: acknowledged " + w + " is in no stream (zxid " + w.zxid() + " has "
              + (at == null ? "no event" : at) + ")");
        }
      } else if (w.op().equals("DELETE")) {
        ackedDeletes.merge(w.path(), 1, Integer::sum);
      }
    }
    Map<String, Integer> seenDeletes = new HashMap<>();
    long eventCount = 0;
    for (Map.Entry<Long, Set<Event>> z : merged.entrySet()) {
      for (Event e : z.getValue()) {
        eventCount++;
        if (e.type().equals("NODE_DELETED")) {
          seenDeletes.merge(e.path(), 1, Integer::sum);
        }
        if (!written.contains(e.path()) && !e.path().equals(root)) {
          violations.add("phantom: " + e + " at zxid " + z.getKey() + " but no write touched " + e.path());
        }
      }
    }
    ackedDeletes.forEach((path, n) -> {
      int seen = seenDeletes.getOrDefault(path, 0);
      if (seen < n) {
        violations.add("complete: " + n + " acknowledged deletes of " + path + " but " + seen + " NODE_DELETED events");
      }
    });

    long anomalies = violations.size() + Math.max(0, gaps - 1);
    String summary = String.format("%d watchers, %d events (%d distinct zxids up to %d), %d writes: %d gaps, %d violations",
        views.size(), events.size(), merged.size(), finalZxid, writes.size(), gaps, violations.size());
    if (!violations.isEmpty()) {
      summary += "; first: " + violations.get(0);
    }
    return new CheckResult("watch-gap-free", anomalies == 0, eventCount, anomalies, summary);
  }
}
