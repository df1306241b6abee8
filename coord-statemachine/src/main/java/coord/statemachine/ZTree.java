package coord.statemachine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The znode tree over a {@link KvReader}: node lookup, sorted child listing and the bookkeeping kept beside
 * the nodes (applied index, last zxid, node count, tree digest). Writes go through {@link ZTreeTxn}.
 */
public class ZTree {
  /** Stat of the root before anything has touched it. */
  static final NodeRecord EMPTY_ROOT = new NodeRecord(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, new byte[0]);

  static final byte[] APPLIED = Keys.meta("applied");
  static final byte[] LAST_ZXID = Keys.meta("lastZxid");
  static final byte[] NODE_COUNT = Keys.meta("nodeCount");
  static final byte[] DIGEST = Keys.meta("digest");
  static final byte[] HISTORY_FLOOR = Keys.meta("historyFloor");

  protected final KvReader kv;

  public ZTree(KvReader kv) {
    this.kv = kv;
  }

  /** The node at a valid path, or null. */
  public NodeRecord get(String path) {
    byte[] v = kv.get(Keys.node(path));
    if (v == null) {
      return ZPaths.ROOT.equals(path) ? EMPTY_ROOT : null;
    }
    return NodeCodec.decode(v);
  }

  /** Names of the children of {@code path}, in UTF-8 byte order; one key-range scan. */
  public List<String> childNames(String path) {
    byte[] prefix = Keys.childPrefix(path);
    List<String> names = new ArrayList<>();
    kv.scan(prefix, null, (k, v) -> names.add(Keys.childName(k, prefix.length)));
    return names;
  }

  /** Raft (term, index) of the last applied entry, or (0, 0) for a fresh store. */
  public long[] applied() {
    byte[] v = kv.get(APPLIED);
    if (v == null) {
      return new long[] {0, 0};
    }
    ByteBuffer b = ByteBuffer.wrap(v);
    return new long[] {b.getLong(), b.getLong()};
  }

  public long lastZxid() {
    return readLong(LAST_ZXID, 0);
  }

  /** Number of znodes, the root included. */
  public long nodeCount() {
    return readLong(NODE_COUNT, 1);
  }

  /**
   * An order-independent digest of every stored znode (path, data and Stat), maintained incrementally
   * by each write; replicas that applied the same entries have the same digest.
   */
  public long digest() {
    return readLong(DIGEST, 0);
  }

  /** The digest recomputed by scanning the whole tree: for tests of the incremental one. */
  public long scanDigest() {
    long[] sum = {0};
    kv.scan(Keys.NODE_PREFIX, null, (k, v) -> {
      sum[0] += entryHash(k, v);
      return true;
    });
    return sum[0];
  }

  /** Visits every stored node in key order (parents before their children are not guaranteed). */
  public void forEachNode(java.util.function.BiConsumer<String, NodeRecord> visitor) {
    kv.scan(Keys.NODE_PREFIX, null, (k, v) -> {
      visitor.accept(Keys.pathOf(k), NodeCodec.decode(v));
      return true;
    });
  }

  /** The negotiated timeout of an open session, or -1 when it is not open. */
  public long sessionTimeout(long sessionId) {
    return readLong(Keys.session(sessionId), -1);
  }

  /** Every open session and its timeout. */
  public java.util.Map<Long, Long> sessions() {
    java.util.Map<Long, Long> all = new java.util.TreeMap<>();
    kv.scan(Keys.SESSION_PREFIX, null, (k, v) -> {
      all.put(Keys.sessionIdOf(k), ByteBuffer.wrap(v).getLong());
      return true;
    });
    return all;
  }

  /** Paths of the ephemeral nodes a session owns. */
  public List<String> ownedBy(long sessionId) {
    byte[] prefix = Keys.ownedPrefix(sessionId);
    List<String> paths = new ArrayList<>();
    kv.scan(prefix, null, (k, v) -> paths.add(Keys.suffixString(k, prefix.length)));
    return paths;
  }

  /** Paths of the container and TTL nodes. */
  public List<String> reapable() {
    List<String> paths = new ArrayList<>();
    kv.scan(Keys.REAPABLE_PREFIX, null, (k, v) -> paths.add(Keys.suffixString(k, 1)));
    return paths;
  }

  /** The oldest zxid whose events are still in the history; events after it can be replayed. */
  public long historyFloor() {
    return readLong(HISTORY_FLOOR, 0);
  }

  /**
   * Replays the kept events with zxid above {@code afterZxid}, in order, until the visitor returns false.
   */
  public void history(long afterZxid, java.util.function.Predicate<WatchEvent> visitor) {
    kv.scan(Keys.HISTORY_PREFIX, Keys.history(afterZxid + 1, 0), (k, v) ->
        visitor.test(HistoryCodec.decode(Keys.historyZxid(k), v)));
  }

  protected long readLong(byte[] key, long absent) {
    byte[] v = kv.get(key);
    return v == null ? absent : ByteBuffer.wrap(v).getLong();
  }

  static byte[] longBytes(long v) {
    return ByteBuffer.allocate(8).putLong(v).array();
  }

  /** 64-bit FNV-1a of key and value; summed over nodes into the tree digest. */
  static long entryHash(byte[] key, byte[] value) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h = (h ^ 0xff) * 0x100000001b3L;
    for (byte b : value) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    return h;
  }
}
