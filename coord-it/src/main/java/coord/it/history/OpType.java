package coord.it.history;

/** The znode operations the register workload records. */
public enum OpType {
  /** Create a znode with {@link Input#value()}; fails NODE_EXISTS if it exists. */
  CREATE,
  /** Set data with an expected version ({@code -1} = any); fails NO_NODE or BAD_VERSION. */
  SET,
  /** Delete with an expected version ({@code -1} = any); fails NO_NODE or BAD_VERSION. */
  DELETE,
  /** Linearizable read of data and version; fails NO_NODE (or returns OK with exists=false). */
  GET;

  /** True for operations that may change state. */
  public boolean isWrite() {
    return this != GET;
  }
}
