package coord.it.history;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the client asked for.
 *
 * @param value data written by CREATE and SET (the register workload writes unique values); null
 *     otherwise
 * @param version expected version for SET and DELETE; null or {@code -1} means "any version"
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Input(String value, Integer version) {
  public static final Input NONE = new Input(null, null);

  /** The expected version, {@code -1} when absent. */
  @JsonIgnore
  public int expectedVersion() {
    return version == null ? -1 : version;
  }
}
