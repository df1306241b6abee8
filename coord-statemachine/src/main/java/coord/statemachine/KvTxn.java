package coord.statemachine;

/**
 * The writes of one Raft log entry. Reads see the transaction's own writes. Used only by the thread that
 * applies log entries.
 */
public interface KvTxn extends KvReader {
  void put(byte[] key, byte[] value);

  void delete(byte[] key);

  /** Marks the current state of the transaction; {@link #rollbackToSavepoint} returns to it. */
  void setSavepoint();

  /** Drops the writes made since the last {@link #setSavepoint}. */
  void rollbackToSavepoint();

  /** Makes every write of this transaction visible at once. The transaction is finished afterwards. */
  void commit();
}
