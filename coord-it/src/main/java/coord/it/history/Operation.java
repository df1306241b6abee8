package coord.it.history;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * One recorded client operation: one line of a history file.
 *
 * <p>Times come from one clock ({@code System.nanoTime()} of the driver JVM). {@code returnNanos}
 * is required for OK and FAIL, and is ignored (treated as +∞) for INDETERMINATE, where it may be
 * absent or record when the client gave up.
 *
 * @param process client id; a client issues one operation at a time
 * @param op operation type
 * @param path znode path; operations on different paths are independent
 * @param input value and expected version
 * @param outcome what the client observed
 * @param callNanos when the request was sent
 * @param returnNanos when the response arrived; null for INDETERMINATE
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Operation(
    int process,
    OpType op,
    String path,
    Input input,
    Outcome outcome,
    long callNanos,
    Long returnNanos) {

  public Operation {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(outcome, "outcome");
    input = input == null ? Input.NONE : input;
    if (!outcome.isIndeterminate()) {
      if (returnNanos == null) {
        throw new IllegalArgumentException("a definite outcome needs returnNanos: " + op + " " + path);
      }
      if (returnNanos < callNanos) {
        throw new IllegalArgumentException(
            "returnNanos " + returnNanos + " < callNanos " + callNanos + ": " + op + " " + path);
      }
    }
    if ((op == OpType.CREATE || op == OpType.SET) && input.value() == null) {
      throw new IllegalArgumentException(op + " needs an input value: " + path);
    }
  }

  /** True if the outcome is INDETERMINATE: the operation has no return event (+∞). */
  @JsonIgnore
  public boolean isIndeterminate() {
    return outcome.isIndeterminate();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    s.append('p').append(process).append(' ').append(op).append(' ').append(path);
    switch (op) {
      case CREATE -> s.append(" '").append(input.value()).append('\'');
      case SET -> s.append(" '").append(input.value()).append("' v").append(input.expectedVersion());
      case DELETE -> s.append(" v").append(input.expectedVersion());
      case GET -> { }
    }
    s.append(" -> ").append(outcome).append(" [").append(callNanos).append(", ");
    s.append(outcome.isIndeterminate() || returnNanos == null ? "∞" : returnNanos).append(']');
    return s.toString();
  }
}
