package coord.bench;

import java.util.concurrent.CompletableFuture;

/**
 * One client of the system under test, as the workloads see it: the few calls they make, async, on one
 * connection (or channel set) of its own. Implemented by each {@link BenchSystem}'s driver with that
 * system's official client. The async calls never block; their futures may complete on the client's own
 * threads, so nothing chained on them may block either. Failures are the client's own exceptions, named by
 * {@link BenchSystem#errorName}.
 */
public interface BenchClient extends AutoCloseable {
  /**
   * Creates the empty node the run works under.
   *
   * @throws SetupException {@code PREFIX_EXISTS} when it (or, where there is no hierarchy, a key under
   *     it) exists already; {@code UNAVAILABLE} or {@code FAILED} otherwise
   */
  void createPrefix(String prefix);

  /** Creates {@code path} with {@code value}; it must not exist (setup). */
  CompletableFuture<?> create(String path, byte[] value);

  /**
   * Sets the value of the existing {@code path}, whatever its version. Completes with the write's place in
   * the system's total order of writes (a zxid, a revision): the same number its watch event carries.
   */
  CompletableFuture<Long> write(String path, byte[] value);

  /**
   * Creates a new node whose name starts with {@code base} and is unique (a sequential znode, or a
   * client-chosen unique key where the system has none), if absent; completes with its path.
   */
  CompletableFuture<String> createSequential(String base, byte[] value);

  /** Deletes {@code path}, whatever its version. */
  CompletableFuture<?> delete(String path);

  /** Reads {@code path}: linearizable, or from the member the client talks to (stale, serializable). */
  CompletableFuture<?> read(String path, boolean linearizable);

  /**
   * Watches every change of a value under {@code prefix} and reports it to {@code listener} on arrival;
   * returns once the watch is in place.
   *
   * @throws SetupException when the watch cannot be set
   */
  Subscription watchChanges(String prefix, ChangeListener listener);

  /** Deletes {@code prefix} and everything under it; nothing when it is absent. */
  void deleteAll(String prefix);

  @Override
  void close();

  /** Receives value changes; called on the client's event thread, must not block. */
  @FunctionalInterface
  interface ChangeListener {
    /**
     * @param position the change's place in the total order of writes, as {@link #write} reports it
     * @param arrivalNanos when the event arrived, in {@link System#nanoTime()} units
     */
    void changed(long position, long arrivalNanos);
  }

  /** A watch in place; closing it removes it. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
