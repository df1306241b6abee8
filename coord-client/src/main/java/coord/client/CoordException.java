package coord.client;

import coord.api.Errors;
import coord.api.v1.ErrorCode;
import io.grpc.Status;
import java.util.Objects;

/**
 * A failed coord call. {@link #code()} is the exact coord error (read from the status' {@code ErrorInfo}
 * by {@link Errors#fromThrowable}), {@link #path()} the znode it names when the server said so. The message
 * starts with the code name, e.g. {@code "NO_NODE: /a"}.
 */
public class CoordException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final ErrorCode code;
  private final String path;

  public CoordException(ErrorCode code, String path, String message) {
    this(code, path, message, null);
  }

  public CoordException(ErrorCode code, String path, String message, Throwable cause) {
    super(messageOf(code, path, message), cause);
    this.code = Objects.requireNonNull(code, "code");
    this.path = path;
  }

  /** Turns a failed gRPC call into a CoordException, keeping the call's error as the cause. */
  public static CoordException fromThrowable(Throwable t) {
    if (t instanceof CoordException ce) {
      return ce;
    }
    return new CoordException(Errors.fromThrowable(t), Errors.pathOf(t), detail(Status.fromThrowable(t)), t);
  }

  /** The status' description, followed by its local cause's message (e.g. "Connection refused") if any. */
  static String detail(Status status) {
    String description = status.getDescription();
    Throwable cause = status.getCause();
    if (cause == null || cause.getMessage() == null) {
      return description;
    }
    return description == null ? cause.getMessage() : description + ": " + cause.getMessage();
  }

  /** The coord error code; never null. */
  public ErrorCode code() {
    return code;
  }

  /** The znode the error names, or null. */
  public String path() {
    return path;
  }

  private static String messageOf(ErrorCode code, String path, String message) {
    String name = code == null ? "null" : code.name();
    if (message == null || message.isBlank()) {
      return path == null ? name : name + ": " + path;
    }
    return message.startsWith(name + ":") ? message : name + ": " + message;
  }
}
