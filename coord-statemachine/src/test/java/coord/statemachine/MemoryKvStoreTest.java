package coord.statemachine;

/** The in-memory twin against the same contract as {@link RocksKvStoreTest}. */
class MemoryKvStoreTest extends KvStoreContract {
  private final MemoryKvStore store = new MemoryKvStore();

  @Override
  KvStore store() {
    return store;
  }
}
