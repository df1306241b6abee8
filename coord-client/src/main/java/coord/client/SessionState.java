package coord.client;

/**
 * Where a {@link CoordSession} stands, as its {@link SessionListener} is told (ZooKeeper's connection
 * states, renamed after Curator's).
 */
public enum SessionState {
  /** The session was opened; its keep-alive stream runs. The first state, reported once. */
  CONNECTED,
  /**
   * The keep-alive stream broke or stopped answering; the client is reopening it on the next endpoint.
   * The session is still open on the cluster until its timeout passes without a keep-alive: ephemeral
   * nodes may vanish at any moment from here on, and the client cannot tell before it reconnects.
   */
  SUSPENDED,
  /** A keep-alive was answered again after {@link #SUSPENDED}: the session lived through the gap. */
  RECONNECTED,
  /** A server said the session is gone (expired or closed elsewhere); its ephemeral nodes are deleted. Final. */
  EXPIRED,
  /** {@link CoordSession#close()} ended the session. Final. */
  CLOSED;

  /** True for the states after which nothing more happens. */
  public boolean isFinal() {
    return this == EXPIRED || this == CLOSED;
  }
}
