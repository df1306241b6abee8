package coord.statemachine;

import java.nio.ByteBuffer;

/**
 * The writable tree of one log entry. Every node write passes through {@link #put} or {@link #remove},
 * which keep the node count and the digest in step with the nodes.
 */
public final class ZTreeTxn extends ZTree {
  private final KvTxn txn;
  private long nodeCount;
  private long digest;
  private long savedNodeCount;
  private long savedDigest;

  public ZTreeTxn(KvTxn txn) {
    super(txn);
    this.txn = txn;
    this.nodeCount = nodeCount();
    this.digest = digest();
  }

  KvTxn kv() {
    return txn;
  }

  /** Stores {@code node} at {@code path}; {@code previous} is what was there (null if nothing). */
  void put(String path, NodeRecord previous, NodeRecord node) {
    byte[] key = Keys.node(path);
    byte[] oldBytes = txn.get(key);
    if (oldBytes != null) {
      digest -= entryHash(key, oldBytes);
    } else if (previous == null) {
      nodeCount++;
    }
    byte[] value = NodeCodec.encode(node);
    digest += entryHash(key, value);
    txn.put(key, value);
    if (oldBytes == null) {
      index(path, node.ephemeralOwner(), true);
    }
  }

  /** Keeps the per-session and reapable indexes in step with the node they point at. */
  private void index(String path, long owner, boolean add) {
    byte[] key = null;
    if (EphemeralType.isEphemeral(owner)) {
      key = Keys.owned(owner, path);
    } else if (EphemeralType.isContainer(owner) || EphemeralType.isTtl(owner)) {
      key = Keys.reapable(path);
    }
    if (key != null) {
      if (add) {
        txn.put(key, new byte[0]);
      } else {
        txn.delete(key);
      }
    }
  }

  void remove(String path) {
    byte[] key = Keys.node(path);
    byte[] oldBytes = txn.get(key);
    if (oldBytes == null) {
      throw new IllegalStateException("removing a znode that is not stored: " + path);
    }
    digest -= entryHash(key, oldBytes);
    nodeCount--;
    txn.delete(key);
    index(path, NodeCodec.decode(oldBytes).ephemeralOwner(), false);
  }

  void putSession(long sessionId, long timeoutMs) {
    txn.put(Keys.session(sessionId), longBytes(timeoutMs));
  }

  void removeSession(long sessionId) {
    txn.delete(Keys.session(sessionId));
  }

  void putEvent(long zxid, int seq, WatchEvent.Type type, String path) {
    txn.put(Keys.history(zxid, seq), HistoryCodec.encode(type, path));
  }

  void setSavepoint() {
    txn.setSavepoint();
    savedNodeCount = nodeCount;
    savedDigest = digest;
  }

  void rollbackToSavepoint() {
    txn.rollbackToSavepoint();
    nodeCount = savedNodeCount;
    digest = savedDigest;
  }

  /** Records the entry as applied and commits all its writes atomically. */
  void commit(long term, long index, long lastZxid) {
    txn.put(APPLIED, ByteBuffer.allocate(16).putLong(term).putLong(index).array());
    txn.put(LAST_ZXID, longBytes(lastZxid));
    txn.put(NODE_COUNT, longBytes(nodeCount));
    txn.put(DIGEST, longBytes(digest));
    txn.commit();
  }
}
