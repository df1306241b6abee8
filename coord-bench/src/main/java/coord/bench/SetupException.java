package coord.bench;

/** Setup of a run (prefix, keys, watch) failed: the run does not start. */
public final class SetupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What failed, for the exit code. */
  public enum Kind {
    /** The --prefix exists already (exit code 3). */
    PREFIX_EXISTS,
    /** The system could not be reached (exit code 5). */
    UNAVAILABLE,
    /** Anything else (exit code 6). */
    FAILED
  }

  private final Kind kind;

  public SetupException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** A failure classified by {@code system}: unavailable or failed, with the system's error name. */
  static SetupException of(BenchSystem system, String what, Throwable failure) {
    Throwable cause = Meter.unwrap(failure);
    if (cause instanceof SetupException e) {
      return e;
    }
    String detail = cause.getMessage() == null ? "" : ": " + cause.getMessage();
    return new SetupException(system.isUnavailable(cause) ? Kind.UNAVAILABLE : Kind.FAILED,
        what + ": " + system.errorName(cause) + detail, cause);
  }
}
