package coord.server.fuzz;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import coord.api.Errors;
import coord.api.v1.ErrorCode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Set;

/**
 * The rule every failed call must pass. Acceptable is:
 * <ul>
 *   <li>a typed coord error: a status whose details hold a {@code google.rpc.ErrorInfo} of domain
 *       {@code coord.io}, whose reason names an {@link ErrorCode} other than INTERNAL, and whose gRPC code
 *       is the one {@link Errors#statusCode} maps that reason to;
 *   <li>a plain {@code RESOURCE_EXHAUSTED} from gRPC itself, only for a request above the server's
 *       inbound message limit;
 *   <li>a plain {@code UNIMPLEMENTED} from gRPC itself, only for a method the server does not have.
 * </ul>
 * Anything else (UNKNOWN, INTERNAL, an untyped INVALID_ARGUMENT, a typed INTERNAL) fails the fuzz test.
 */
final class Answers {
  /** Why a request is allowed a plain gRPC status. */
  enum Plain { NONE, OVERSIZED, UNKNOWN_METHOD }

  private static final Set<ErrorCode> NEVER = Set.of(ErrorCode.INTERNAL, ErrorCode.ERROR_CODE_UNSPECIFIED);

  private Answers() {}

  /** The coord error code a status carries, or null when it carries none. */
  static ErrorCode typedCode(Throwable t) {
    com.google.rpc.Status status = StatusProto.fromThrowable(t);
    if (status == null) {
      return null;
    }
    for (Any detail : status.getDetailsList()) {
      if (detail.is(ErrorInfo.class)) {
        try {
          ErrorInfo info = detail.unpack(ErrorInfo.class);
          if (Errors.DOMAIN.equals(info.getDomain())) {
            return ErrorCode.valueOf(info.getReason());
          }
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
          throw new AssertionError("unreadable ErrorInfo in " + describe(t), e);
        }
      }
    }
    return null;
  }

  /**
   * Checks that a failure is acceptable for a request with {@code allowed} plain statuses and returns its
   * coord code (null for an allowed plain status). Throws AssertionError otherwise.
   */
  static ErrorCode check(Throwable t, Plain allowed, String what) {
    if (!(t instanceof StatusRuntimeException)) {
      throw new AssertionError(what + ": not a gRPC status: " + t, t);
    }
    Status.Code code = Status.fromThrowable(t).getCode();
    ErrorCode typed = typedCode(t);
    if (typed == null) {
      boolean plainOk = (allowed == Plain.OVERSIZED && code == Status.Code.RESOURCE_EXHAUSTED)
          || (allowed == Plain.UNKNOWN_METHOD && code == Status.Code.UNIMPLEMENTED);
      if (!plainOk) {
        throw new AssertionError(what + ": untyped error " + describe(t), t);
      }
      return null;
    }
    if (NEVER.contains(typed)) {
      throw new AssertionError(what + ": server error " + describe(t), t);
    }
    if (Errors.statusCode(typed) != code) {
      throw new AssertionError(what + ": reason " + typed + " travels as " + code + ", the table says "
          + Errors.statusCode(typed), t);
    }
    return typed;
  }

  static String describe(Throwable t) {
    Status s = Status.fromThrowable(t);
    String d = String.valueOf(s.getDescription());
    return s.getCode() + " '" + (d.length() > 200 ? d.substring(0, 200) + "..." : d) + "'"
        + (s.getCause() == null ? "" : " cause " + s.getCause());
  }
}
