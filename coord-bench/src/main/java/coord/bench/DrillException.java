package coord.bench;

/** A fault drill cannot go on (no leader, no pid file, a restart that failed, ...); the message says why. */
final class DrillException extends Exception {
  private final boolean unavailable;

  DrillException(String message) {
    this(message, false);
  }

  DrillException(String message, boolean unavailable) {
    super(message);
    this.unavailable = unavailable;
  }

  /** Whether the cluster was unavailable (exit code 5) rather than the drill misconfigured (6). */
  boolean unavailable() {
    return unavailable;
  }
}
