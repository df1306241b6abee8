package coord.api;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import coord.api.v1.ErrorCode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/**
 * The one table that maps coord's error codes to gRPC statuses and back. The server uses it to answer,
 * every client to read the answer: the status carries a {@code google.rpc.ErrorInfo} whose reason is the
 * {@link ErrorCode} name, so clients in any language get the exact code, not just the gRPC category.
 */
public final class Errors {
  public static final String DOMAIN = "coord.io";
  public static final String PATH_KEY = "path";
  /**
   * Metadata of an {@code UNAVAILABLE} from a member that is fine and only lost the call's leader on the
   * way: retrying at the same member is best (another member may be the one that is down).
   */
  public static final String RETRY_HERE_KEY = "retry_here";
  /**
   * Longest message or path an error echoes, in chars. Both travel in HTTP/2 trailers (the message twice:
   * as grpc-message and inside the details), and clients refuse trailers above 8 KiB by default: an
   * error about a long path would otherwise reach the client as an untyped INTERNAL.
   */
  public static final int MAX_ECHOED_CHARS = 256;

  private Errors() {}

  /** The gRPC status code each coord error travels as. */
  public static Status.Code statusCode(ErrorCode code) {
    return switch (code) {
      case NO_NODE -> Status.Code.NOT_FOUND;
      case NODE_EXISTS -> Status.Code.ALREADY_EXISTS;
      case BAD_VERSION, NOT_EMPTY, NO_CHILDREN_FOR_EPHEMERALS, SESSION_EXPIRED ->
          Status.Code.FAILED_PRECONDITION;
      case INVALID_PATH, DATA_TOO_LARGE, INVALID_ARGUMENT -> Status.Code.INVALID_ARGUMENT;
      case NO_AUTH -> Status.Code.PERMISSION_DENIED;
      case UNAVAILABLE -> Status.Code.UNAVAILABLE;
      case TIMEOUT -> Status.Code.DEADLINE_EXCEEDED;
      case INTERNAL, ERROR_CODE_UNSPECIFIED, UNRECOGNIZED -> Status.Code.INTERNAL;
    };
  }

  /**
   * Builds the status a server returns for {@code code}; {@code path} may be null. A message or path
   * longer than {@link #MAX_ECHOED_CHARS} is cut to that many chars plus a note of its full length.
   */
  public static StatusRuntimeException toStatusException(ErrorCode code, String message, String path) {
    return toStatusException(code, message, path, false);
  }

  /** As {@link #toStatusException(ErrorCode, String, String)}, with {@link #RETRY_HERE_KEY} when asked. */
  public static StatusRuntimeException toStatusException(ErrorCode code, String message, String path,
      boolean retryHere) {
    ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(code.name()).setDomain(DOMAIN);
    if (path != null) {
      info.putMetadata(PATH_KEY, abbreviate(path));
    }
    if (retryHere) {
      info.putMetadata(RETRY_HERE_KEY, "true");
    }
    com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
        .setCode(statusCode(code).value())
        .setMessage(code.name() + ": " + abbreviate(message))
        .addDetails(Any.pack(info.build()))
        .build();
    return StatusProto.toStatusRuntimeException(status);
  }

  /**
   * Builds one error and reads it back. The first error a JVM builds or reads loads and initialises the
   * status and detail classes and their protobuf descriptors: ~0.6 s on a loaded 2-core machine, paid by
   * the first write a member failed, which is usually during a failover, when it counts most.
   */
  public static void preload() {
    fromThrowable(toStatusException(ErrorCode.UNAVAILABLE, "preload", "/"));
  }

  /** {@code s} itself when short enough, else its head and its full length ("/a/bbb...(100000 chars)"). */
  static String abbreviate(String s) {
    if (s == null || s.length() <= MAX_ECHOED_CHARS) {
      return s;
    }
    int cut = Character.isHighSurrogate(s.charAt(MAX_ECHOED_CHARS - 1)) ? MAX_ECHOED_CHARS - 1 : MAX_ECHOED_CHARS;
    return s.substring(0, cut) + "...(" + s.length() + " chars)";
  }

  /**
   * Reads the coord error code out of a failed call. A status without coord's ErrorInfo (a proxy, a
   * transport failure) is classified by its gRPC code alone.
   */
  public static ErrorCode fromThrowable(Throwable t) {
    com.google.rpc.Status status = StatusProto.fromThrowable(t);
    if (status != null) {
      for (Any detail : status.getDetailsList()) {
        if (detail.is(ErrorInfo.class)) {
          try {
            ErrorInfo info = detail.unpack(ErrorInfo.class);
            if (DOMAIN.equals(info.getDomain())) {
              return ErrorCode.valueOf(info.getReason());
            }
          } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            // not ours or from a newer server: fall back to the status code below
          }
        }
      }
    }
    return fromStatusCode(Status.fromThrowable(t).getCode());
  }

  static ErrorCode fromStatusCode(Status.Code code) {
    return switch (code) {
      case NOT_FOUND -> ErrorCode.NO_NODE;
      case ALREADY_EXISTS -> ErrorCode.NODE_EXISTS;
      case INVALID_ARGUMENT -> ErrorCode.INVALID_ARGUMENT;
      case PERMISSION_DENIED, UNAUTHENTICATED -> ErrorCode.NO_AUTH;
      // without coord's ErrorInfo this is gRPC's own message-size limit, i.e. far too much data
      case RESOURCE_EXHAUSTED -> ErrorCode.DATA_TOO_LARGE;
      case UNAVAILABLE, CANCELLED, ABORTED -> ErrorCode.UNAVAILABLE;
      case DEADLINE_EXCEEDED -> ErrorCode.TIMEOUT;
      default -> ErrorCode.INTERNAL;
    };
  }

  /** The path an error names, or null. */
  public static String pathOf(Throwable t) {
    return metadataOf(t, PATH_KEY);
  }

  /** Whether the member that failed the call asked to be retried, not left ({@link #RETRY_HERE_KEY}). */
  public static boolean retryHere(Throwable t) {
    return "true".equals(metadataOf(t, RETRY_HERE_KEY));
  }

  private static String metadataOf(Throwable t, String key) {
    com.google.rpc.Status status = StatusProto.fromThrowable(t);
    if (status == null) {
      return null;
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          String value = detail.unpack(ErrorInfo.class).getMetadataOrDefault(key, null);
          if (value != null) {
            return value;
          }
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }
}
