package coord.statemachine;

import coord.api.v1.Stat;

/**
 * One znode as stored: its data and every Stat field except those derived on read
 * ({@code dataLength} comes from the data). Immutable; updates build a new record.
 */
public record NodeRecord(
    long czxid,
    long mzxid,
    long pzxid,
    long ctime,
    long mtime,
    int version,
    int cversion,
    int aclVersion,
    long ephemeralOwner,
    int numChildren,
    byte[] data) {

  public static NodeRecord created(long zxid, long time, long ephemeralOwner, byte[] data) {
    return new NodeRecord(zxid, zxid, zxid, time, time, 0, 0, 0, ephemeralOwner, 0, data);
  }

  public NodeRecord withData(long zxid, long time, byte[] newData) {
    return new NodeRecord(czxid, zxid, pzxid, ctime, time, version + 1, cversion, aclVersion,
        ephemeralOwner, numChildren, newData);
  }

  /** A child was added (+1) or removed (-1) by the change {@code zxid}. */
  public NodeRecord withChildChange(long zxid, int delta) {
    return new NodeRecord(czxid, mzxid, zxid, ctime, mtime, version, cversion + 1, aclVersion,
        ephemeralOwner, numChildren + delta, data);
  }

  public Stat toStat() {
    return Stat.newBuilder()
        .setCzxid(czxid).setMzxid(mzxid).setPzxid(pzxid)
        .setCtime(ctime).setMtime(mtime)
        .setVersion(version).setCversion(cversion).setAclVersion(aclVersion)
        .setEphemeralOwner(ephemeralOwner)
        .setDataLength(data.length).setNumChildren(numChildren)
        .build();
  }
}
