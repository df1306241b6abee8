package coord.it.check;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One write of the watch workload's writer (a line of {@code watch.jsonl}).
 *
 * @param op {@code CREATE}, {@code SET} or {@code DELETE}
 * @param status {@code OK}, {@code FAIL} or {@code INDETERMINATE}
 * @param error error code name of a FAIL
 * @param zxid the write's zxid when the client reports it ({@code czxid} of a create, {@code mzxid} of a
 *     set); null for a delete, whose zxid the client API does not return
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WatchWrite(int process, String op, String path, String status, String error, Long zxid,
    long callNanos, Long returnNanos) {

  public boolean ok() {
    return "OK".equals(status);
  }

  /** The watch event type this write produces. */
  public String eventType() {
    return switch (op) {
      case "CREATE" -> "NODE_CREATED";
      case "SET" -> "NODE_DATA_CHANGED";
      case "DELETE" -> "NODE_DELETED";
      default -> throw new IllegalArgumentException("not a write: " + op);
    };
  }
}
