package coord.statemachine;

/**
 * Read access to an ordered byte-key store (keys compare as unsigned bytes). Not thread-safe unless the
 * implementation says so; close it when done.
 */
public interface KvReader extends AutoCloseable {
  /** The value under {@code key}, or null. */
  byte[] get(byte[] key);

  /**
   * Visits, in key order, the entries whose key starts with {@code prefix} and is at or after
   * {@code from} (null: from the start of the prefix), until the visitor returns false.
   */
  void scan(byte[] prefix, byte[] from, Visitor visitor);

  @Override
  void close();

  @FunctionalInterface
  interface Visitor {
    boolean visit(byte[] key, byte[] value);
  }
}
