package coord.statemachine;

import static java.nio.charset.StandardCharsets.UTF_8;

/** A history record: the event type as one byte, then the path. */
final class HistoryCodec {
  private static final WatchEvent.Type[] TYPES = WatchEvent.Type.values();

  private HistoryCodec() {}

  static byte[] encode(WatchEvent.Type type, String path) {
    byte[] p = path.getBytes(UTF_8);
    byte[] v = new byte[1 + p.length];
    v[0] = (byte) type.ordinal();
    System.arraycopy(p, 0, v, 1, p.length);
    return v;
  }

  static WatchEvent decode(long zxid, byte[] v) {
    return new WatchEvent(TYPES[v[0]], new String(v, 1, v.length - 1, UTF_8), zxid);
  }
}
