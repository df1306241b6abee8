package coord.server;

import coord.api.v1.AddWatch;
import coord.api.v1.ErrorCode;
import coord.api.v1.EventType;
import coord.api.v1.WatchMode;
import coord.api.v1.WatchResponse;
import coord.statemachine.CoordStateMachine;
import coord.statemachine.WatchEvent;
import coord.statemachine.ZPaths;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The watches of the clients connected to this node, fed by this node's own applied entries (so any
 * member serves watches, with no extra Raft round trip). Entries are dispatched before they are
 * committed, so a client gets an event before it can read the data behind it on this node. A watch
 * added with {@code after_zxid} first replays the kept history, then goes live, without gap or duplicate:
 * both happen with dispatch paused, and each watch drops events at or below what it already delivered.
 */
final class WatchHub {
  private final CoordStateMachine stateMachine;
  private final Map<String, Set<Watch>> byPath = new HashMap<>();
  private final Map<String, Set<Watch>> recursiveByPath = new HashMap<>();
  private long liveDeliveries; // counts for Failpoint.DROP_WATCH_EVENT only

  WatchHub(CoordStateMachine stateMachine) {
    this.stateMachine = stateMachine;
  }

  /** One client's Watch stream. */
  static final class Stream {
    private final ServerCallStreamObserver<WatchResponse> out;
    private final Map<Long, Watch> watches = new HashMap<>();

    Stream(ServerCallStreamObserver<WatchResponse> out) {
      this.out = out;
    }

    private boolean ended;
    // Requests of one stream take effect in the order they came, even when one waits for a read index.
    private java.util.concurrent.CompletableFuture<Void> order =
        java.util.concurrent.CompletableFuture.completedFuture(null);

    synchronized void then(java.util.function.Supplier<java.util.concurrent.CompletableFuture<Void>> step) {
      order = order.thenCompose(ignored -> step.get()).exceptionally(e -> null);
    }

    synchronized void send(WatchResponse r) {
      if (ended || out.isCancelled()) {
        return;
      }
      try {
        out.onNext(r);
      } catch (RuntimeException e) {
        // the call went away under us (cancelled, closed): this stream is over, the node is not
        ended = true;
      }
    }

    /** Ends the stream from the server side; later sends are dropped. */
    synchronized void end() {
      if (!ended) {
        ended = true;
        try {
          out.onCompleted();
        } catch (RuntimeException e) {
          // already closed by the client
        }
      }
    }

    synchronized void markEnded() {
      ended = true;
    }
  }

  private static final class Watch {
    final Stream stream;
    final long id;
    final String path;
    final WatchMode mode;
    long deliveredUpTo;

    Watch(Stream stream, long id, String path, WatchMode mode) {
      this.stream = stream;
      this.id = id;
      this.path = path;
      this.mode = mode;
    }

    boolean oneShot() {
      return mode == WatchMode.WATCH_DATA || mode == WatchMode.WATCH_CHILDREN;
    }

    boolean matches(WatchEvent e) {
      return switch (mode) {
        case WATCH_DATA -> e.path().equals(path) && e.type() != WatchEvent.Type.NODE_CHILDREN_CHANGED;
        case WATCH_CHILDREN -> e.path().equals(path)
            && (e.type() == WatchEvent.Type.NODE_CHILDREN_CHANGED || e.type() == WatchEvent.Type.NODE_DELETED);
        case WATCH_PERSISTENT -> e.path().equals(path);
        case WATCH_PERSISTENT_RECURSIVE -> e.type() != WatchEvent.Type.NODE_CHILDREN_CHANGED
            && (ZPaths.ROOT.equals(path) || e.path().equals(path) || e.path().startsWith(path + "/"));
        case UNRECOGNIZED -> false;
      };
    }
  }

  // ------------------------------------------------------------------ dispatch (apply thread)

  /** Called on the apply thread, before the entry is committed. */
  void onApplied(CoordStateMachine.AppliedEntry entry) {
    List<WatchEvent> events = entry.result().events();
    if (events.isEmpty()) {
      return;
    }
    synchronized (this) {
      if (byPath.isEmpty() && recursiveByPath.isEmpty()) {
        return;
      }
      int from = 0;
      while (from < events.size()) {
        long zxid = events.get(from).zxid();
        int to = from;
        while (to < events.size() && events.get(to).zxid() == zxid) {
          to++;
        }
        deliver(candidates(events.subList(from, to)), events.subList(from, to));
        from = to;
      }
    }
  }

  private Set<Watch> candidates(List<WatchEvent> events) {
    Set<Watch> found = new LinkedHashSet<>();
    for (WatchEvent e : events) {
      Set<Watch> exact = byPath.get(e.path());
      if (exact != null) {
        found.addAll(exact);
      }
      if (!recursiveByPath.isEmpty()) {
        String p = e.path();
        while (true) {
          Set<Watch> rec = recursiveByPath.get(p);
          if (rec != null) {
            found.addAll(rec);
          }
          if (ZPaths.ROOT.equals(p)) {
            break;
          }
          p = ZPaths.parent(p);
        }
      }
    }
    return found;
  }

  /** Sends each watch its matching events of one zxid, in one message; returns whether any matched. */
  private boolean deliver(Set<Watch> watches, List<WatchEvent> eventsOfOneZxid) {
    boolean any = false;
    long zxid = eventsOfOneZxid.get(0).zxid();
    for (Watch w : watches) {
      if (zxid <= w.deliveredUpTo) {
        continue;
      }
      WatchResponse.Builder r = WatchResponse.newBuilder().setWatchId(w.id);
      for (WatchEvent e : eventsOfOneZxid) {
        if (w.matches(e)) {
          r.addEvents(toProto(e));
          if (w.oneShot()) {
            break; // ZooKeeper's one-shot watch reports one event
          }
        }
      }
      if (r.getEventsCount() == 0) {
        continue;
      }
      any = true;
      w.deliveredUpTo = zxid;
      if (w.oneShot()) {
        unregister(w);
        r.setRemoved(true);
      }
      if (Failpoint.DROP_WATCH_EVENT.active() && ++liveDeliveries % Failpoint.DROPPED_WATCH_EVENT_PERIOD == 0) {
        continue;
      }
      w.stream.send(r.build());
    }
    return any;
  }

  // ------------------------------------------------------------------ registration (gRPC threads)

  void add(Stream stream, AddWatch req) {
    String reason = ZPaths.invalidReason(req.getPath());
    if (reason != null || req.getMode() == WatchMode.UNRECOGNIZED) {
      stream.send(WatchResponse.newBuilder().setWatchId(req.getWatchId()).setRemoved(true)
          .setError(reason != null ? ErrorCode.INVALID_PATH : ErrorCode.INVALID_ARGUMENT)
          .setErrorMessage(reason != null ? "invalid path '" + req.getPath() + "': " + reason : "unknown mode")
          .build());
      return;
    }
    Watch w = new Watch(stream, req.getWatchId(), req.getPath(), req.getMode());
    try {
      addCaughtUp(stream, req, w);
    } catch (coord.statemachine.StoreClosedException e) {
      stream.send(WatchResponse.newBuilder().setWatchId(req.getWatchId()).setRemoved(true)
          .setError(ErrorCode.UNAVAILABLE).setErrorMessage(e.getMessage()).build());
    }
  }

  private void addCaughtUp(Stream stream, AddWatch req, Watch w) {
    stateMachine.withDispatchPaused(tree -> {
      synchronized (this) {
        long last = tree.lastZxid();
        if (req.hasAfterZxid()) {
          long oldestResumable = tree.historyFloor() - 1;
          if (req.getAfterZxid() < oldestResumable) {
            stream.send(WatchResponse.newBuilder().setWatchId(w.id).setCompacted(true)
                .setOldestZxid(oldestResumable).build());
            return null;
          }
          w.deliveredUpTo = req.getAfterZxid();
          if (replay(w, tree, req.getAfterZxid()) && w.oneShot()) {
            return null; // fired during the replay
          }
        }
        w.deliveredUpTo = Math.max(w.deliveredUpTo, last);
        register(w);
        stream.send(WatchResponse.newBuilder().setWatchId(w.id).setAdded(true).build());
        return null;
      }
    });
  }

  /** Delivers the history after {@code afterZxid}; true if a one-shot watch fired. */
  private boolean replay(Watch w, coord.statemachine.ZTree tree, long afterZxid) {
    List<WatchEvent> group = new ArrayList<>();
    boolean[] fired = {false};
    tree.history(afterZxid, e -> {
      if (!group.isEmpty() && group.get(0).zxid() != e.zxid()) {
        fired[0] = deliver(Set.of(w), group) && w.oneShot();
        group.clear();
        if (fired[0]) {
          return false;
        }
      }
      group.add(e);
      return true;
    });
    if (!fired[0] && !group.isEmpty()) {
      fired[0] = deliver(Set.of(w), group) && w.oneShot();
    }
    return fired[0];
  }

  synchronized void remove(Stream stream, long watchId) {
    Watch w = stream.watches.get(watchId);
    if (w != null) {
      unregister(w);
    }
    stream.send(WatchResponse.newBuilder().setWatchId(watchId).setRemoved(true).build());
  }

  synchronized void removeAll(Stream stream) {
    for (Watch w : new ArrayList<>(stream.watches.values())) {
      unregister(w);
    }
  }

  private void register(Watch w) {
    Watch previous = w.stream.watches.put(w.id, w);
    if (previous != null) {
      unregister(previous);
      w.stream.watches.put(w.id, w);
    }
    index(w).computeIfAbsent(w.path, p -> new LinkedHashSet<>()).add(w);
  }

  private void unregister(Watch w) {
    w.stream.watches.remove(w.id, w);
    Map<String, Set<Watch>> index = index(w);
    Set<Watch> set = index.get(w.path);
    if (set != null && set.remove(w) && set.isEmpty()) {
      index.remove(w.path);
    }
  }

  private Map<String, Set<Watch>> index(Watch w) {
    return w.mode == WatchMode.WATCH_PERSISTENT_RECURSIVE ? recursiveByPath : byPath;
  }

  static coord.api.v1.WatchEvent toProto(WatchEvent e) {
    EventType type = switch (e.type()) {
      case NODE_CREATED -> EventType.NODE_CREATED;
      case NODE_DELETED -> EventType.NODE_DELETED;
      case NODE_DATA_CHANGED -> EventType.NODE_DATA_CHANGED;
      case NODE_CHILDREN_CHANGED -> EventType.NODE_CHILDREN_CHANGED;
    };
    return coord.api.v1.WatchEvent.newBuilder().setType(type).setPath(e.path()).setZxid(e.zxid()).build();
  }
}
