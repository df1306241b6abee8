package coord.client;

import coord.api.v1.Stat;
import java.util.Arrays;
import java.util.Objects;

/** A node's data and stat. The array is the caller's to keep; it is not copied. */
public record NodeData(byte[] data, Stat stat) {

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeData other
        && Arrays.equals(data, other.data)
        && Objects.equals(stat, other.stat);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(data) + Objects.hashCode(stat);
  }

  @Override
  public String toString() {
    return "NodeData[dataLength=" + (data == null ? 0 : data.length) + ", stat=" + stat + "]";
  }
}
