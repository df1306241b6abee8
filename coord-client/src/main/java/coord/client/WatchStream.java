package coord.client;

import coord.api.v1.AddWatch;
import coord.api.v1.CoordGrpc;
import coord.api.v1.ErrorCode;
import coord.api.v1.RemoveWatch;
import coord.api.v1.WatchEvent;
import coord.api.v1.WatchMode;
import coord.api.v1.WatchRequest;
import coord.api.v1.WatchResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's one {@code Watch} stream, which multiplexes all its watches. Opened on the current
 * endpoint when the first watch is added. When it breaks, it is reopened on the next endpoint (round
 * robin, with backoff) and every live watch is added again with {@code after_zxid} = the last zxid it
 * delivered (or the one it was first added after): the server replays what happened meanwhile, so a
 * watch sees every change once, whichever node serves it. Events at or below that zxid are dropped.
 *
 * <p>Thread-safe: state is guarded by one lock; listener callbacks are posted to the client's
 * {@link EventQueue} under it (so they run in arrival order), futures are completed outside it.
 */
final class WatchStream implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchStream.class);
  private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Connections connections;
  private final ScheduledExecutorService scheduler;
  private final EventQueue events;
  private final AtomicLong nextId = new AtomicLong();
  private final Object lock = new Object();

  // Guarded by lock.
  private final Map<Long, WatchSubscription> live = new LinkedHashMap<>();
  private Stream current;
  private int failures;
  private ScheduledFuture<?> reconnect;
  private boolean closed;

  WatchStream(Connections connections, ScheduledExecutorService scheduler, EventQueue events) {
    this.connections = connections;
    this.scheduler = scheduler;
    this.events = events;
  }

  /**
   * Adds a watch delivering every matching change above {@code afterZxid}. The future completes when the
   * server has added it and caught it up (or it ended first, e.g. compacted), or fails if that takes
   * longer than {@code timeout} (the watch is then removed) or the server refuses it.
   */
  CompletableFuture<WatchSubscription> add(
      String path, WatchMode mode, long afterZxid, WatchListener listener, Duration timeout) {
    WatchSubscription w = new WatchSubscription(this, nextId.incrementAndGet(), path, mode, afterZxid, listener);
    synchronized (lock) {
      if (closed) {
        return CompletableFuture.failedFuture(new CoordException(ErrorCode.UNAVAILABLE, path, "client is closed"));
      }
      live.put(w.id, w);
      if (current != null) {
        current.send(addRequest(w));
      } else if (reconnect == null) {
        open(); // sends every live watch, this one included
      } // else the pending reconnect sends it
    }
    try {
      ScheduledFuture<?> timer = scheduler.schedule(() -> {
        if (w.registered.completeExceptionally(new CoordException(ErrorCode.UNAVAILABLE, path,
            "watch " + path + " not registered within " + timeout.toMillis() + " ms"))) {
          remove(w, false);
        }
      }, timeout.toNanos(), TimeUnit.NANOSECONDS);
      w.registered.whenComplete((r, t) -> timer.cancel(false));
    } catch (RejectedExecutionException e) {
      w.registered.completeExceptionally(new CoordException(ErrorCode.UNAVAILABLE, path, "client is closed"));
      remove(w, false);
    }
    w.registered.whenComplete((r, t) -> {
      if (w.registered.isCancelled()) {
        remove(w, false);
      }
    });
    return w.registered;
  }

  /** Ends a watch on the client's side and sends RemoveWatch; {@code notify}: then call onRemoved. */
  void remove(WatchSubscription w, boolean notify) {
    synchronized (lock) {
      if (w.ended) {
        return;
      }
      end(w);
      w.cancelled = true;
      if (current != null) {
        current.send(WatchRequest.newBuilder().setRemove(RemoveWatch.newBuilder().setWatchId(w.id)).build());
      }
      if (notify) {
        events.post("watch removed", w.listener::onRemoved);
      }
    }
    w.registered.complete(w);
  }

  /** Cancels the stream; every watch ends without a callback. */
  @Override
  public void close() {
    List<WatchSubscription> pending;
    synchronized (lock) {
      closed = true;
      if (reconnect != null) {
        reconnect.cancel(false);
      }
      if (current != null) {
        current.cancel();
        current = null;
      }
      pending = new ArrayList<>(live.values());
      pending.forEach(w -> w.ended = true);
      live.clear();
    }
    for (WatchSubscription w : pending) {
      w.registered.completeExceptionally(new CoordException(ErrorCode.UNAVAILABLE, w.path, "client is closed"));
    }
  }

  /** Under lock. */
  private void end(WatchSubscription w) {
    w.ended = true;
    live.remove(w.id);
  }

  private static WatchRequest addRequest(WatchSubscription w) {
    return WatchRequest.newBuilder()
        .setAdd(AddWatch.newBuilder()
            .setWatchId(w.id)
            .setPath(w.path)
            .setMode(w.mode)
            .setAfterZxid(w.resumeZxid))
        .build();
  }

  /** Under lock: opens a stream on the current endpoint and adds every live watch on it. */
  private void open() {
    int index = connections.current();
    Endpoint endpoint = connections.endpoint(index);
    Stream s = new Stream(index, endpoint);
    try {
      CoordGrpc.newStub(connections.channel(endpoint)).watch(s);
    } catch (RuntimeException e) { // the client is closed
      LOG.debug("cannot open a watch stream to {}", endpoint, e);
      return;
    }
    current = s;
    LOG.debug("watch stream opened on {} with {} watch(es)", endpoint, live.size());
    for (WatchSubscription w : live.values()) {
      s.send(addRequest(w));
    }
  }

  private void lost(Stream s, String why) {
    synchronized (lock) {
      if (s != current || closed) {
        return;
      }
      current = null;
      connections.failedOn(s.index);
      if (live.isEmpty()) {
        LOG.debug("idle watch stream on {} ended ({})", s.endpoint, why);
        return; // the next add opens a new one
      }
      failures++;
      long delay = Backoff.nanos(failures, MIN_BACKOFF_NANOS, MAX_BACKOFF_NANOS);
      LOG.debug("watch stream on {} lost ({}); resuming {} watch(es) on {} in {} ms", s.endpoint, why,
          live.size(), connections.endpoint(connections.current()), TimeUnit.NANOSECONDS.toMillis(delay));
      try {
        reconnect = scheduler.schedule(() -> {
          synchronized (lock) {
            reconnect = null;
            if (!closed && current == null && !live.isEmpty()) {
              open();
            }
          }
        }, delay, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        closed = true;
      }
    }
  }

  private void received(Stream s, WatchResponse r) {
    List<Runnable> after = new ArrayList<>(1);
    synchronized (lock) {
      if (s != current) {
        return;
      }
      failures = 0;
      WatchSubscription w = live.get(r.getWatchId());
      if (w == null) {
        return; // removed by the client meanwhile
      }
      if (r.getCompacted()) {
        end(w);
        long oldest = r.getOldestZxid();
        post(w, "watch compacted", () -> w.listener.onCompacted(oldest));
        after.add(() -> w.registered.complete(w));
      } else if (r.getError() != ErrorCode.ERROR_CODE_UNSPECIFIED) {
        end(w);
        CoordException e = new CoordException(r.getError(), w.path, r.getErrorMessage());
        if (w.registered.isDone()) {
          post(w, "watch error", () -> w.listener.onError(e));
        } else {
          after.add(() -> w.registered.completeExceptionally(e));
        }
      } else {
        if (r.getEventsCount() > 0) {
          long zxid = r.getEvents(0).getZxid();
          if (zxid > w.resumeZxid) {
            w.resumeZxid = zxid;
            w.delivered = true;
            List<WatchEvent> list = List.copyOf(r.getEventsList());
            post(w, "watch events", () -> w.listener.onEvents(list));
          } else {
            LOG.debug("dropped a duplicate event at zxid 0x{} for watch {} (resumes after 0x{})",
                Long.toHexString(zxid), w.id, Long.toHexString(w.resumeZxid));
          }
        }
        if (r.getRemoved()) {
          end(w);
          post(w, "watch removed", w.listener::onRemoved);
          after.add(() -> w.registered.complete(w));
        } else if (r.getAdded()) {
          after.add(() -> w.registered.complete(w));
        }
      }
    }
    after.forEach(Runnable::run);
  }

  /** Under lock: a callback that is dropped if the watch is closed before it runs. */
  private void post(WatchSubscription w, String what, Runnable callback) {
    events.post(what, () -> {
      if (!w.cancelled) {
        callback.run();
      }
    });
  }

  /** One Watch call. Requests are sent under the lock. */
  private final class Stream implements ClientResponseObserver<WatchRequest, WatchResponse> {
    final int index;
    final Endpoint endpoint;
    private ClientCallStreamObserver<WatchRequest> requests;

    Stream(int index, Endpoint endpoint) {
      this.index = index;
      this.endpoint = endpoint;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRequest> requestStream) {
      this.requests = requestStream;
    }

    void send(WatchRequest request) {
      requests.onNext(request);
    }

    void cancel() {
      requests.cancel("client closed", null);
    }

    @Override
    public void onNext(WatchResponse response) {
      received(this, response);
    }

    @Override
    public void onError(Throwable t) {
      lost(this, CoordException.fromThrowable(t).getMessage());
    }

    @Override
    public void onCompleted() {
      lost(this, "the server ended the stream");
    }
  }
}
