package coord.client;

/**
 * Told when a {@link CoordSession} changes {@link SessionState}.
 *
 * <p>Called on the client's event thread, the one that also runs every {@link WatchListener}, one call at
 * a time and in the order the changes happened. It may call the client, but should not block for long:
 * every other callback of the client waits meanwhile.
 */
@FunctionalInterface
public interface SessionListener {
  /** Ignores every change. */
  SessionListener NONE = state -> {};

  void stateChanged(SessionState state);
}
