package coord.client;

import coord.api.v1.Stat;
import java.util.List;

/** A node's children names (not paths), sorted by UTF-8 bytes, and the parent's stat. */
public record Children(List<String> names, Stat stat) {
  public Children {
    names = List.copyOf(names);
  }
}
