package coord.client;

import coord.api.v1.WatchMode;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * A registered watch ({@link CoordClient#watch}). It lives until {@link #close()}, until its first
 * delivery for the one-shot modes, or until the server ends it (compacted history, error); it moves with
 * the client's watch stream from endpoint to endpoint, resuming after the last zxid it delivered.
 *
 * <p>Thread-safe.
 */
public final class WatchSubscription implements AutoCloseable {
  final WatchStream stream;
  final long id;
  final String path;
  final WatchMode mode;
  final WatchListener listener;
  /** Completes when the server says the watch is added and caught up (or it ended before that). */
  final CompletableFuture<WatchSubscription> registered = new CompletableFuture<>();

  // Written under the stream's lock only.
  /** The zxid the watch resumes after: the last one delivered, else the one it was added after. */
  volatile long resumeZxid;
  volatile boolean delivered;
  volatile boolean ended;
  /** Set by {@link #close()}: callbacks still queued for this watch are dropped. */
  volatile boolean cancelled;

  WatchSubscription(WatchStream stream, long id, String path, WatchMode mode, long afterZxid,
      WatchListener listener) {
    this.stream = stream;
    this.id = id;
    this.path = path;
    this.mode = mode;
    this.listener = listener;
    this.resumeZxid = afterZxid;
  }

  /** The id the watch has on the client's stream. */
  public long id() {
    return id;
  }

  public String path() {
    return path;
  }

  public WatchMode mode() {
    return mode;
  }

  /** The zxid of the last change delivered to the listener, if any. */
  public OptionalLong lastZxid() {
    return delivered ? OptionalLong.of(resumeZxid) : OptionalLong.empty();
  }

  /** True until the watch has ended, for whatever reason. */
  public boolean isActive() {
    return !ended;
  }

  /**
   * Ends the watch: no callback after this one returns, except one already running; then
   * {@link WatchListener#onRemoved()}. Sends {@code RemoveWatch} if the stream is up. Idempotent.
   */
  @Override
  public void close() {
    stream.remove(this, true);
  }

  @Override
  public String toString() {
    return "WatchSubscription[" + id + " " + mode + " " + path + " after 0x" + Long.toHexString(resumeZxid)
        + (ended ? ", ended" : "") + "]";
  }
}
