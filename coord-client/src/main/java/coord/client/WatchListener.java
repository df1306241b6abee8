package coord.client;

import coord.api.v1.WatchEvent;
import java.util.List;

/**
 * Receives what one watch sees ({@link CoordClient#watch}, or the one-shot reads with a listener).
 *
 * <p>Every method is called on the client's event thread, one call at a time, in zxid order: never two
 * callbacks of one client at once, so a listener needs no locking of its own for state only it touches.
 * A listener may call the client (for instance re-read and set a new one-shot watch), but should not
 * block for long: every other callback of the client waits meanwhile. An exception it throws is logged
 * and otherwise ignored.
 */
@FunctionalInterface
public interface WatchListener {
  /**
   * The events of one change (one zxid) that this watch matches, in the server's order. A change that
   * touches several nodes at once (a {@code deleteAll}) comes as one call with several events. Each zxid
   * comes once, higher than every one before, also across failovers.
   */
  void onEvents(List<WatchEvent> eventsOfOneZxid);

  /**
   * The server no longer keeps the history the watch had to resume from (it names the oldest zxid it can
   * still resume after): changes may have been missed. The watch has ended; re-read, then watch again.
   */
  default void onCompacted(long oldestZxid) {}

  /**
   * The watch has ended normally: a one-shot watch fired (after its {@link #onEvents}), or it was closed.
   * Not called after {@link #onCompacted} or {@link #onError}, nor when the client closes.
   */
  default void onRemoved() {}

  /** The server ended the watch with an error (e.g. {@code INVALID_PATH}) after it had been registered. */
  default void onError(CoordException e) {}
}
