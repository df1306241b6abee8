package coord.statemachine;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Key layout in the store. A znode {@code /a/b} is stored under {@code 'n' + "/a" + NUL + "b"}, so the
 * children of a node are exactly the keys with prefix {@code 'n' + parent + NUL}: one contiguous range,
 * listed without touching grandchildren (valid paths never contain NUL). The root is {@code 'n' + "/"}.
 */
final class Keys {
  private static final byte NODE = 'n';
  private static final byte META = 'm';
  private static final byte DEDUP = 'd';
  private static final byte DEDUP_EXPIRY = 'e';
  private static final byte SESSION = 's';
  private static final byte OWNED = 'o';
  private static final byte REAPABLE = 'r';
  private static final byte HISTORY = 'h';

  static final byte[] NODE_PREFIX = {NODE};
  static final byte[] DEDUP_EXPIRY_PREFIX = {DEDUP_EXPIRY};
  static final byte[] SESSION_PREFIX = {SESSION};
  static final byte[] REAPABLE_PREFIX = {REAPABLE};
  static final byte[] HISTORY_PREFIX = {HISTORY};

  private Keys() {}

  static byte[] node(String path) {
    if (ZPaths.ROOT.equals(path)) {
      return concat(NODE_PREFIX, "/".getBytes(UTF_8));
    }
    int slash = path.lastIndexOf('/');
    String parent = slash == 0 ? ZPaths.ROOT : path.substring(0, slash);
    return concat(childPrefix(parent), path.substring(slash + 1).getBytes(UTF_8));
  }

  static byte[] childPrefix(String parent) {
    byte[] p = parent.getBytes(UTF_8);
    byte[] k = new byte[p.length + 2];
    k[0] = NODE;
    System.arraycopy(p, 0, k, 1, p.length);
    k[k.length - 1] = 0;
    return k;
  }

  /** The path a node key stands for. */
  static String pathOf(byte[] nodeKey) {
    int nul = -1;
    for (int i = nodeKey.length - 1; i > 0; i--) {
      if (nodeKey[i] == 0) {
        nul = i;
        break;
      }
    }
    if (nul < 0) {
      return ZPaths.ROOT;
    }
    String parent = new String(nodeKey, 1, nul - 1, UTF_8);
    return ZPaths.child(parent, new String(nodeKey, nul + 1, nodeKey.length - nul - 1, UTF_8));
  }

  static String childName(byte[] key, int prefixLength) {
    return new String(key, prefixLength, key.length - prefixLength, UTF_8);
  }

  static byte[] meta(String name) {
    return concat(new byte[] {META}, name.getBytes(UTF_8));
  }

  /** Where the result of a deduplicated write is kept. */
  static byte[] dedup(byte[] clientId, long callId) {
    return ByteBuffer.allocate(1 + clientId.length + 8).put(DEDUP).put(clientId).putLong(callId).array();
  }

  /**
   * Lists an entry's dedup records under the leader time they were written at, for pruning; the entry's
   * index keeps the lists of entries stamped with the same time apart.
   */
  static byte[] dedupExpiry(long timeMs, long index) {
    return ByteBuffer.allocate(1 + 8 + 8).put(DEDUP_EXPIRY).putLong(timeMs).putLong(index).array();
  }

  static long dedupExpiryTime(byte[] expiryKey) {
    return ByteBuffer.wrap(expiryKey, 1, 8).getLong();
  }

  /**
   * Dedup keys as runs of consecutive call ids per client: {@code client id length (1 byte), client id,
   * first call id, run length (4 bytes)} each. A client's calls in one entry are mostly consecutive, so a
   * run costs about what one key would.
   */
  static byte[] encodeDedupKeys(List<byte[]> dedupKeys) {
    List<byte[]> sorted = new ArrayList<>(dedupKeys);
    sorted.sort(Arrays::compareUnsigned);
    int bound = 0;
    for (byte[] key : sorted) {
      bound += key.length + 4;
    }
    ByteBuffer out = ByteBuffer.allocate(bound);
    byte[] runKey = null;
    int runLength = 0;
    for (byte[] key : sorted) {
      if (runKey != null && sameClient(runKey, key)) {
        long offset = dedupCallId(key) - dedupCallId(runKey);
        if (offset >= 0 && offset < runLength) {
          continue; // listed already
        }
        if (offset == runLength) {
          runLength++;
          continue;
        }
      }
      putRun(out, runKey, runLength);
      runKey = key;
      runLength = 1;
    }
    putRun(out, runKey, runLength);
    return Arrays.copyOf(out.array(), out.position());
  }

  static List<byte[]> decodeDedupKeys(byte[] encoded) {
    List<byte[]> keys = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(encoded);
    while (in.hasRemaining()) {
      byte[] clientId = new byte[Byte.toUnsignedInt(in.get())];
      in.get(clientId);
      long first = in.getLong();
      int length = in.getInt();
      for (int i = 0; i < length; i++) {
        keys.add(dedup(clientId, first + i));
      }
    }
    return keys;
  }

  private static void putRun(ByteBuffer out, byte[] runKey, int runLength) {
    if (runKey == null) {
      return;
    }
    int clientIdLength = runKey.length - 9;
    out.put((byte) clientIdLength).put(runKey, 1, clientIdLength).putLong(dedupCallId(runKey)).putInt(runLength);
  }

  private static boolean sameClient(byte[] a, byte[] b) {
    return a.length == b.length && Arrays.equals(a, 0, a.length - 8, b, 0, b.length - 8);
  }

  private static long dedupCallId(byte[] dedupKey) {
    return ByteBuffer.wrap(dedupKey, dedupKey.length - 8, 8).getLong();
  }

  /** The dedup key named by an expiry record of the earlier layout: one record per result. */
  static byte[] dedupKeyOfExpiry(byte[] expiryKey) {
    byte[] k = new byte[expiryKey.length - 8];
    k[0] = DEDUP;
    System.arraycopy(expiryKey, 9, k, 1, expiryKey.length - 9);
    return k;
  }

  static byte[] session(long sessionId) {
    return ByteBuffer.allocate(9).put(SESSION).putLong(sessionId).array();
  }

  static long sessionIdOf(byte[] sessionKey) {
    return ByteBuffer.wrap(sessionKey, 1, 8).getLong();
  }

  /** The ephemeral nodes of a session: {@code 'o' + session id + path}. */
  static byte[] ownedPrefix(long sessionId) {
    return ByteBuffer.allocate(9).put(OWNED).putLong(sessionId).array();
  }

  static byte[] owned(long sessionId, String path) {
    return concat(ownedPrefix(sessionId), path.getBytes(UTF_8));
  }

  /** Container and TTL nodes, which the leader may reap: {@code 'r' + path}. */
  static byte[] reapable(String path) {
    return concat(REAPABLE_PREFIX, path.getBytes(UTF_8));
  }

  static String suffixString(byte[] key, int prefixLength) {
    return new String(key, prefixLength, key.length - prefixLength, UTF_8);
  }

  /** Watch event history, in zxid order: {@code 'h' + zxid + sequence within the zxid}. */
  static byte[] history(long zxid, int seq) {
    return ByteBuffer.allocate(13).put(HISTORY).putLong(zxid).putInt(seq).array();
  }

  static long historyZxid(byte[] key) {
    return ByteBuffer.wrap(key, 1, 8).getLong();
  }

  /** The smallest key above every key that starts with {@code prefix}; null when there is none (all 0xFF). */
  static byte[] prefixEnd(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] end = Arrays.copyOf(prefix, i + 1);
        end[i]++;
        return end;
      }
    }
    return null;
  }

  static boolean hasPrefix(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] r = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
