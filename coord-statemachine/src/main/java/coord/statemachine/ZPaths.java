package coord.statemachine;

/**
 * The one home of znode path rules (ZooKeeper's): absolute, '/'-separated, no empty component, no trailing
 * '/' except the root, no "." or ".." component, no NUL, no control or other forbidden characters.
 */
public final class ZPaths {
  public static final String ROOT = "/";

  private ZPaths() {}

  /** Returns null when {@code path} is valid, otherwise the reason it is not. */
  public static String invalidReason(String path) {
    if (path == null || path.isEmpty()) {
      return "path must not be empty";
    }
    if (path.charAt(0) != '/') {
      return "path must start with '/'";
    }
    if (path.length() == 1) {
      return null;
    }
    if (path.charAt(path.length() - 1) == '/') {
      return "path must not end with '/'";
    }
    int componentStart = 1;
    for (int i = 1; i <= path.length(); i++) {
      if (i == path.length() || path.charAt(i) == '/') {
        int len = i - componentStart;
        if (len == 0) {
          return "empty component at index " + i;
        }
        if ((len == 1 && path.charAt(componentStart) == '.')
            || (len == 2 && path.charAt(componentStart) == '.' && path.charAt(componentStart + 1) == '.')) {
          return "relative component ('.' or '..') at index " + componentStart;
        }
        componentStart = i + 1;
        continue;
      }
      char c = path.charAt(i);
      if (forbidden(c)) {
        return String.format("invalid character \\u%04x at index %d", (int) c, i);
      }
    }
    return null;
  }

  // ZooKeeper's set: NUL, C0/C1 controls, and the code points it reserves.
  private static boolean forbidden(char c) {
    return c <= 0x1f
        || (c >= 0x7f && c <= 0x9f)
        || (c >= 0xd800 && c <= 0xf8ff)
        || (c >= 0xfff0 && c <= 0xffff);
  }

  public static boolean isValid(String path) {
    return invalidReason(path) == null;
  }

  /** The parent of a valid, non-root path. */
  public static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash == 0 ? ROOT : path.substring(0, slash);
  }

  /** The last component of a valid, non-root path. */
  public static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  public static String child(String parent, String name) {
    return ROOT.equals(parent) ? "/" + name : parent + "/" + name;
  }

  /** The 10-digit zero-padded suffix ZooKeeper appends to sequential nodes. */
  public static String sequenceSuffix(int parentCversion) {
    return String.format(java.util.Locale.ROOT, "%010d", parentCversion);
  }
}
