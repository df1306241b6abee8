package coord.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a create may carry besides path, data and mode: the owning session (required for the ephemeral
 * modes; for any other mode the create fails with {@code SESSION_EXPIRED} unless the session is open) and
 * the TTL (required for, and only allowed with, the TTL modes). Immutable: each method returns a new
 * value, so options combine, e.g. {@code CreateOptions.none().session(s).ttl(Duration.ofMinutes(5))}.
 */
public final class CreateOptions {
  /** ZooKeeper's largest TTL: it is kept in the low 40 bits of {@code ephemeralOwner}. */
  public static final Duration MAX_TTL = Duration.ofMillis(0xFF_FFFF_FFFFL);

  private static final CreateOptions NONE = new CreateOptions(null, null);

  private final CoordSession session;
  private final Duration ttl;

  private CreateOptions(CoordSession session, Duration ttl) {
    this.session = session;
    this.ttl = ttl;
  }

  /** No session, no TTL: what the three-argument {@code create} uses. */
  public static CreateOptions none() {
    return NONE;
  }

  /** These options with {@code session} as the owner of the node (and the session the create checks). */
  public CreateOptions session(CoordSession session) {
    return new CreateOptions(Objects.requireNonNull(session, "session"), ttl);
  }

  /**
   * These options with a TTL: the server deletes the node once it has gone unchanged this long and has no
   * children. Milliseconds count; at most {@link #MAX_TTL}.
   *
   * @throws IllegalArgumentException unless {@code 1 ms <= ttl <= MAX_TTL}
   */
  public CreateOptions ttl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1 || ttl.compareTo(MAX_TTL) > 0) {
      throw new IllegalArgumentException("ttl must be between 1 ms and " + MAX_TTL.toMillis() + " ms, was " + ttl);
    }
    return new CreateOptions(session, ttl);
  }

  public Optional<CoordSession> session() {
    return Optional.ofNullable(session);
  }

  public Optional<Duration> ttl() {
    return Optional.ofNullable(ttl);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CreateOptions other && session == other.session && Objects.equals(ttl, other.ttl);
  }

  @Override
  public int hashCode() {
    return 31 * System.identityHashCode(session) + Objects.hashCode(ttl);
  }

  @Override
  public String toString() {
    return "CreateOptions[session=" + (session == null ? "none" : "0x" + Long.toHexString(session.id()))
        + ", ttl=" + (ttl == null ? "none" : ttl.toMillis() + "ms") + "]";
  }
}
