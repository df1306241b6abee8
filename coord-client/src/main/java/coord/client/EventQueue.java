package coord.client;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's event thread: runs every {@link WatchListener} and {@link SessionListener} callback, one at
 * a time, in the order they were posted. A callback that throws is logged; the next one runs anyway.
 * {@link #post} never blocks and may be called with locks held (it runs nothing itself).
 */
final class EventQueue implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EventQueue.class);

  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "coord-client-events");
    t.setDaemon(true);
    return t;
  });

  /** Queues {@code callback}; after {@link #close()} it is dropped. */
  void post(String what, Runnable callback) {
    try {
      executor.execute(() -> {
        try {
          callback.run();
        } catch (RuntimeException | Error e) {
          LOG.warn("{} callback threw; ignored", what, e);
        }
      });
    } catch (RejectedExecutionException closed) {
      LOG.debug("client closed; {} callback dropped", what);
    }
  }

  /** Runs what is queued already, accepts nothing more; does not wait. */
  @Override
  public void close() {
    executor.shutdown();
  }
}
