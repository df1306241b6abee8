package coord.statemachine;

/**
 * ZooKeeper's encoding of special nodes in {@code ephemeralOwner}, kept so that Stat reads the same as in
 * ZooKeeper: a positive value is the owning session of an ephemeral node, {@code 0x8000000000000000}
 * marks a container, and {@code 0xFF} in the top byte marks a TTL node with the TTL in the low 40 bits.
 */
public final class EphemeralType {
  public static final long CONTAINER_OWNER = Long.MIN_VALUE;
  private static final long TTL_MARK = 0xFF00000000000000L;
  public static final long MAX_TTL_MS = 0xFFFFFFFFFFL;

  private EphemeralType() {}

  public static boolean isEphemeral(long owner) {
    return owner > 0;
  }

  public static boolean isContainer(long owner) {
    return owner == CONTAINER_OWNER;
  }

  public static boolean isTtl(long owner) {
    return (owner & TTL_MARK) == TTL_MARK;
  }

  public static long ttlOwner(long ttlMs) {
    return TTL_MARK | ttlMs;
  }

  public static long ttlOf(long owner) {
    return owner & MAX_TTL_MS;
  }
}
