package coord.it.check;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One recorded PERSISTENT_SEQUENTIAL create (a line of {@code sequential.jsonl}).
 *
 * @param process client id
 * @param data the unique data written, which identifies the create in the final tree
 * @param status {@code OK}, {@code FAIL} or {@code INDETERMINATE}, as in {@link coord.it.history.Outcome}
 * @param error the error code name of a FAIL
 * @param name the child name the server returned (OK only), e.g. {@code n-0000000042}
 * @param zxid the create's zxid ({@code czxid} of the returned stat; OK only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SequentialCreate(int process, String data, String status, String error, String name, Long zxid,
    long callNanos, Long returnNanos) {

  public boolean ok() {
    return "OK".equals(status);
  }

  public boolean failed() {
    return "FAIL".equals(status);
  }

  public boolean indeterminate() {
    return "INDETERMINATE".equals(status);
  }
}
