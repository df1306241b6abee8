package coord.statemachine;

/**
 * The narrow storage contract under the znode tree: an ordered byte-key store with atomic multi-key
 * transactions. {@link RocksKvStore} is the real one, {@link MemoryKvStore} its in-memory twin for tests.
 */
public interface KvStore extends AutoCloseable {
  /** A consistent view of committed state; safe to use from any thread while entries are applied. */
  KvReader reader();

  /** Starts the transaction of one log entry; at most one is open at a time. */
  KvTxn begin();

  @Override
  void close();
}
