package coord.cli;

import coord.api.v1.ErrorCode;

/** The documented exit codes of {@code coord} (docs/cli.md); scripts rely on them. */
final class ExitCodes {
  static final int OK = 0;
  /** NO_NODE, and {@code exists} on a missing node. */
  static final int NO_NODE = 1;
  /** Bad arguments (picocli's usage-error code). */
  static final int USAGE = 2;
  static final int PRECONDITION = 3;
  static final int INVALID = 4;
  static final int UNAVAILABLE = 5;
  static final int OTHER = 6;
  /** A watch could not resume: the server no longer keeps the history back to the zxid asked for. */
  static final int COMPACTED = 7;

  private ExitCodes() {}

  static int of(ErrorCode code) {
    return switch (code) {
      case NO_NODE -> NO_NODE;
      case NODE_EXISTS, BAD_VERSION, NOT_EMPTY, NO_CHILDREN_FOR_EPHEMERALS, SESSION_EXPIRED -> PRECONDITION;
      case INVALID_PATH, DATA_TOO_LARGE, INVALID_ARGUMENT -> INVALID;
      case UNAVAILABLE, TIMEOUT -> UNAVAILABLE;
      case INTERNAL, NO_AUTH, ERROR_CODE_UNSPECIFIED, UNRECOGNIZED -> OTHER;
    };
  }
}
