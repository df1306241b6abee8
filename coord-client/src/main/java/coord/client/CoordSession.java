package coord.client;

import coord.api.v1.CoordGrpc;
import coord.api.v1.CreateMode;
import coord.api.v1.ErrorCode;
import coord.api.v1.KeepAliveRequest;
import coord.api.v1.KeepAliveResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open session ({@link CoordClient#openSession}): the owner of ephemeral nodes, kept alive by this
 * client until {@link #close()}.
 *
 * <p>Keep-alive: a {@code KeepAlive} stream to the client's current endpoint carries a request every third
 * of the negotiated timeout. When the stream breaks, or a request goes unanswered for a third of the
 * timeout, the session reports {@link SessionState#SUSPENDED} and reopens the stream on the next endpoint
 * (round robin, with backoff) until one answers: {@link SessionState#RECONNECTED}, or
 * {@link SessionState#EXPIRED} if that server says the session is gone. The client never declares a
 * session expired by itself: only the cluster does, once it has heard nothing for the timeout.
 *
 * <p>Thread-safe. Keep-alives run on the client's scheduler and gRPC threads; the {@link SessionListener}
 * on the client's event thread.
 */
public final class CoordSession implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoordSession.class);
  private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final CoordClient client;
  private final long id;
  private final SessionListener listener;
  private final Object lock = new Object();

  private volatile long timeoutMillis;
  private volatile SessionState state = SessionState.CONNECTED;

  // Guarded by lock.
  private Stream stream;
  private int failures;
  private boolean ended;
  private CompletableFuture<Void> closed; // set by the first close
  private ScheduledFuture<?> tick;
  private ScheduledFuture<?> reopen;

  CoordSession(CoordClient client, long id, long timeoutMillis, SessionListener listener) {
    this.client = client;
    this.id = id;
    this.timeoutMillis = timeoutMillis;
    this.listener = listener == null ? SessionListener.NONE : listener;
  }

  /** The session id, as in a node's {@code ephemeralOwner}. */
  public long id() {
    return id;
  }

  /** The timeout the cluster negotiated (within its configured bounds), as last told by a keep-alive. */
  public Duration timeout() {
    return Duration.ofMillis(timeoutMillis);
  }

  public SessionState state() {
    return state;
  }

  /** Creates a node owned by (for the ephemeral modes) and checked against this session. */
  public Created create(String path, byte[] data, CreateMode mode) {
    return client.create(path, data, mode, CreateOptions.none().session(this));
  }

  /**
   * Closes the session on the cluster, which deletes its ephemeral nodes at once, and stops the
   * keep-alive. Idempotent; does nothing once the session is expired. If no node can be reached within
   * the client's request timeout, the session is left to expire by itself (after its timeout).
   */
  @Override
  public void close() {
    CompletableFuture<Void> done = closeAsync(null);
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot happen: the close future never fails", e);
    }
  }

  @Override
  public String toString() {
    return "CoordSession[0x" + Long.toHexString(id) + ", " + state + ", timeout=" + timeoutMillis + "ms]";
  }

  // ---- lifecycle, called by CoordClient ----

  /** Reports CONNECTED and opens the keep-alive stream. */
  void start() {
    synchronized (lock) {
      notifyState(SessionState.CONNECTED);
      openStream();
      scheduleTick();
    }
  }

  /**
   * Sends CloseSession (with {@code budget}, null for the client's request timeout) and then stops the
   * keep-alive, which goes on while the call is in flight. The future never fails; the same future is
   * returned to every caller.
   */
  CompletableFuture<Void> closeAsync(Duration budget) {
    synchronized (lock) {
      if (closed != null) {
        return closed;
      }
      if (ended) {
        closed = CompletableFuture.completedFuture(null);
        return closed;
      }
      closed = new CompletableFuture<>();
    }
    client.closeSessionAsync(id, budget).whenComplete((r, t) -> {
      if (t != null) {
        CoordException e = CoordException.fromThrowable(t);
        if (e.code() != ErrorCode.SESSION_EXPIRED) {
          LOG.warn("closing session 0x{} failed ({}); it expires by itself after {} ms",
              Long.toHexString(id), e.getMessage(), timeoutMillis);
        }
      }
      end(SessionState.CLOSED);
      closed.complete(null);
    });
    return closed;
  }

  /**
   * Test hook: stops the keep-alive without closing the session, as a crashed process would. The session
   * then expires on the cluster after its timeout; its state here does not change.
   */
  void stopKeepAlive() {
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      cancelTimers();
      if (stream != null) {
        stream.cancel();
        stream = null;
      }
    }
    client.forget(this);
  }

  // ---- keep-alive ----

  /** Ends the session here: no more keep-alives; reports {@code finalState} unless it already ended. */
  private void end(SessionState finalState) {
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      cancelTimers();
      if (stream != null) {
        stream.cancel();
        stream = null;
      }
      notifyState(finalState);
    }
    client.forget(this);
  }

  private void cancelTimers() {
    if (tick != null) {
      tick.cancel(false);
    }
    if (reopen != null) {
      reopen.cancel(false);
    }
  }

  /** Under lock: reports a new state on the event thread, in order. */
  private void notifyState(SessionState next) {
    state = next;
    client.events().post("session state", () -> listener.stateChanged(next));
  }

  private long periodNanos() {
    return TimeUnit.MILLISECONDS.toNanos(Math.max(1, timeoutMillis / 3));
  }

  /** Under lock. */
  private void scheduleTick() {
    try {
      tick = client.scheduler().schedule(this::tick, periodNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      ended = true;
    }
  }

  /** Every third of the timeout: sends a keep-alive, or gives up on a stream whose last one went unanswered. */
  private void tick() {
    synchronized (lock) {
      if (ended) {
        return;
      }
      if (stream != null) {
        if (stream.unansweredFor(System.nanoTime()) >= periodNanos()) {
          Stream dead = stream;
          dead.cancel();
          lost(dead, "no keep-alive answer from " + dead.endpoint + " within " + periodNanos() / 1_000_000 + " ms");
        } else {
          stream.send();
        }
      }
      scheduleTick();
    }
  }

  /** Under lock: opens a stream on the current endpoint and sends a keep-alive right away. */
  private void openStream() {
    int index = client.connections().current();
    Endpoint endpoint = client.connections().endpoint(index);
    Stream s = new Stream(index, endpoint);
    try {
      CoordGrpc.newStub(client.connections().channel(endpoint)).keepAlive(s);
    } catch (RuntimeException e) { // the client is closed
      ended = true;
      return;
    }
    stream = s;
    s.send();
  }

  /** Under lock: the stream broke; suspend and reopen on the next endpoint after a backoff. */
  private void lost(Stream s, String why) {
    if (s != stream || ended) {
      return;
    }
    stream = null;
    failures++;
    client.connections().failedOn(s.index);
    if (state == SessionState.CONNECTED || state == SessionState.RECONNECTED) {
      notifyState(SessionState.SUSPENDED);
    }
    long delay = Math.min(Backoff.nanos(failures, MIN_BACKOFF_NANOS, MAX_BACKOFF_NANOS), periodNanos());
    LOG.debug("session 0x{}: keep-alive stream lost ({}); reopening in {} ms", Long.toHexString(id), why,
        TimeUnit.NANOSECONDS.toMillis(delay));
    try {
      reopen = client.scheduler().schedule(() -> {
        synchronized (lock) {
          if (!ended && stream == null) {
            openStream();
          }
        }
      }, delay, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      ended = true;
    }
  }

  private void received(Stream s, KeepAliveResponse response) {
    synchronized (lock) {
      if (s != stream || ended) {
        return;
      }
      if (response.getExpired()) {
        LOG.debug("session 0x{} expired (said {})", Long.toHexString(id), s.endpoint);
      } else {
        s.answered();
        failures = 0;
        if (response.getTimeoutMs() > 0) {
          timeoutMillis = response.getTimeoutMs();
        }
        if (state == SessionState.SUSPENDED) {
          notifyState(SessionState.RECONNECTED);
        }
        return;
      }
    }
    end(SessionState.EXPIRED);
  }

  /** One KeepAlive stream. Requests are sent under the session's lock. */
  private final class Stream implements ClientResponseObserver<KeepAliveRequest, KeepAliveResponse> {
    final int index;
    final Endpoint endpoint;
    private ClientCallStreamObserver<KeepAliveRequest> requests;
    private long unansweredSince; // nanoTime of the oldest request not answered yet, 0 if none

    Stream(int index, Endpoint endpoint) {
      this.index = index;
      this.endpoint = endpoint;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<KeepAliveRequest> requestStream) {
      this.requests = requestStream;
    }

    void send() {
      if (unansweredSince == 0) {
        unansweredSince = System.nanoTime();
      }
      requests.onNext(KeepAliveRequest.newBuilder().setSessionId(id).build());
    }

    void answered() {
      unansweredSince = 0;
    }

    long unansweredFor(long now) {
      return unansweredSince == 0 ? 0 : now - unansweredSince;
    }

    void cancel() {
      requests.cancel("session keep-alive stopped", null);
    }

    @Override
    public void onNext(KeepAliveResponse response) {
      received(this, response);
    }

    @Override
    public void onError(Throwable t) {
      synchronized (lock) {
        lost(this, endpoint + ": " + CoordException.fromThrowable(t).getMessage());
      }
    }

    @Override
    public void onCompleted() {
      synchronized (lock) {
        lost(this, endpoint + " ended the stream");
      }
    }
  }
}
