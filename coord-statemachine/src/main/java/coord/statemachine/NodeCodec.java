package coord.statemachine;

import java.nio.ByteBuffer;

/** Binary form of a {@link NodeRecord}: a format byte, the fixed Stat fields, then the data. */
final class NodeCodec {
  private static final byte FORMAT_1 = 1;
  private static final int HEADER = 1 + 8 * 5 + 4 * 3 + 8 + 4;

  private NodeCodec() {}

  static byte[] encode(NodeRecord n) {
    ByteBuffer b = ByteBuffer.allocate(HEADER + n.data().length);
    b.put(FORMAT_1)
        .putLong(n.czxid()).putLong(n.mzxid()).putLong(n.pzxid()).putLong(n.ctime()).putLong(n.mtime())
        .putInt(n.version()).putInt(n.cversion()).putInt(n.aclVersion())
        .putLong(n.ephemeralOwner()).putInt(n.numChildren())
        .put(n.data());
    return b.array();
  }

  static NodeRecord decode(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    byte format = b.get();
    if (format != FORMAT_1) {
      throw new IllegalStateException("unknown znode record format " + format);
    }
    long czxid = b.getLong();
    long mzxid = b.getLong();
    long pzxid = b.getLong();
    long ctime = b.getLong();
    long mtime = b.getLong();
    int version = b.getInt();
    int cversion = b.getInt();
    int aclVersion = b.getInt();
    long owner = b.getLong();
    int numChildren = b.getInt();
    byte[] data = new byte[b.remaining()];
    b.get(data);
    return new NodeRecord(czxid, mzxid, pzxid, ctime, mtime, version, cversion, aclVersion, owner,
        numChildren, data);
  }
}
