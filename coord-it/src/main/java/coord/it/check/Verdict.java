package coord.it.check;

/** The checker's answer for a partition or a whole history. */
public enum Verdict {
  /** A linearization exists. */
  OK,
  /** No linearization exists: the history violates linearizability. */
  VIOLATION,
  /** The budget ran out before an answer; the fault suite counts this as a failure. */
  UNKNOWN;

  /** The worse of two verdicts (VIOLATION > UNKNOWN > OK). */
  Verdict worst(Verdict other) {
    if (this == VIOLATION || other == VIOLATION) {
      return VIOLATION;
    }
    return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : OK;
  }
}
