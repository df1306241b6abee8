package coord.it.history;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * What the client observed.
 *
 * <ul>
 *   <li>{@link Status#OK}: the operation took effect (writes) or returned {@code value}/{@code
 *       version}/{@code exists} (reads). For SET, {@code version} is the new version if known; for
 *       CREATE it is 0 if given.
 *   <li>{@link Status#FAIL}: a <em>definite</em> failure with an ErrorCode name ({@code NO_NODE},
 *       {@code NODE_EXISTS}, {@code BAD_VERSION}, ...). A definite failure was not applied.
 *   <li>{@link Status#INDETERMINATE}: the client does not know (timeout, connection loss). The
 *       operation may take effect at any point after its call, or never.
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Outcome(Status status, String error, String value, Integer version, Boolean exists) {

  /** The three kinds of outcome. */
  public enum Status {
    OK,
    FAIL,
    INDETERMINATE
  }

  public Outcome {
    Objects.requireNonNull(status, "status");
    if (status == Status.FAIL && (error == null || error.isEmpty())) {
      throw new IllegalArgumentException("a FAIL outcome needs an error code name");
    }
    if (status != Status.FAIL && error != null) {
      throw new IllegalArgumentException("only a FAIL outcome carries an error: " + error);
    }
  }

  /** OK for a write with no output (DELETE, or CREATE/SET without a reported version). */
  public static Outcome ok() {
    return new Outcome(Status.OK, null, null, null, null);
  }

  /** OK for a CREATE or SET that reported the resulting version. */
  public static Outcome okVersion(int version) {
    return new Outcome(Status.OK, null, null, version, null);
  }

  /** OK for a GET that found the node. */
  public static Outcome okValue(String value, int version) {
    return new Outcome(Status.OK, null, value, version, true);
  }

  /** OK for a GET that found no node (equivalent to {@code fail("NO_NODE")}). */
  public static Outcome okAbsent() {
    return new Outcome(Status.OK, null, null, null, false);
  }

  /** A definite failure with an ErrorCode name. */
  public static Outcome fail(String errorCode) {
    return new Outcome(Status.FAIL, errorCode, null, null, null);
  }

  /** The client does not know whether the operation took effect. */
  public static Outcome indeterminate() {
    return new Outcome(Status.INDETERMINATE, null, null, null, null);
  }

  @JsonIgnore
  public boolean isOk() {
    return status == Status.OK;
  }

  @JsonIgnore
  public boolean isFail() {
    return status == Status.FAIL;
  }

  @JsonIgnore
  public boolean isIndeterminate() {
    return status == Status.INDETERMINATE;
  }

  @Override
  public String toString() {
    return switch (status) {
      case OK -> {
        if (Boolean.FALSE.equals(exists)) {
          yield "OK(absent)";
        }
        if (value != null) {
          yield "OK(" + value + "@" + version + ")";
        }
        yield version == null ? "OK" : "OK(v" + version + ")";
      }
      case FAIL -> "FAIL(" + error + ")";
      case INDETERMINATE -> "INDETERMINATE";
    };
  }
}
