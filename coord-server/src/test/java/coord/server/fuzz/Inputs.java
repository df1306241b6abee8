package coord.server.fuzz;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Random;

/**
 * Random inputs for the fuzzer, all drawn from one seeded {@link Random} so that a run is reproducible
 * from its seed: znode names and paths (valid, malformed, unicode, very long), data sizes, versions.
 */
final class Inputs {
  /** Names that are valid and unusual: dots that are not "." or "..", unicode, sequence-like digits. */
  private static final List<String> ODD_VALID_NAMES = List.of("...", ".a", "a.", "-", "_", " ", "a b", "é",
      "中文", "ü\u00e9\u00ff", "\u2603", "\uff46", "zookeeper", "0000000000", "9999999999", "2147483647",
      "s-2147483647", "%00", "\\", "*", "?", "~");
  /** Broken paths, one per rule of docs/api.md (besides NUL, controls and reserved characters). */
  private static final List<String> BROKEN_PATHS = List.of("", "a", "a/b", "/a/", "//", "/a//b", "/.", "/..",
      "/a/.", "/a/..", "/a/./b", "/a/../b", "./a", "/ /./", "///");
  /** Characters ZooKeeper refuses in a path. */
  private static final char[] FORBIDDEN = {'\u0000', '\u0001', '\u001f', '\u007f', '\u0085', '\u009f',
      '\ue000', '\uf8ff', '\ufff0', '\ufffd', '\uffff'};

  final Random random;

  Inputs(long seed) {
    this.random = new Random(seed);
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  /** A valid znode name: mostly short ASCII from a small alphabet (so names collide), sometimes odd. */
  String name() {
    int r = random.nextInt(100);
    if (r < 70) {
      return "n" + random.nextInt(12);
    }
    if (r < 90) {
      return pick(ODD_VALID_NAMES);
    }
    if (r < 97) {
      return "long-" + "x".repeat(100 + random.nextInt(900));
    }
    // a surrogate pair (an emoji) is valid UTF-16 but in ZooKeeper's reserved range
    return "emoji-\ud83d\ude00";
  }

  /** A malformed path: broken structure or a forbidden character somewhere in a valid-looking one. */
  String brokenPath(String base) {
    if (random.nextBoolean()) {
      return pick(BROKEN_PATHS);
    }
    char bad = FORBIDDEN[random.nextInt(FORBIDDEN.length)];
    String name = "bad" + bad + "name";
    return base.equals("/") ? "/" + name : base + "/" + name;
  }

  /** A data size: mostly small, sometimes empty, exactly at the limit, or just above it. */
  ByteString data(int maxDataBytes, boolean allowBig) {
    int r = random.nextInt(100);
    int size;
    if (r < 10) {
      size = 0;
    } else if (r < 95 || !allowBig) {
      size = random.nextInt(64);
    } else if (r < 97) {
      size = maxDataBytes;
    } else {
      size = maxDataBytes + 1;
    }
    byte[] b = new byte[size];
    random.nextBytes(b);
    return ByteString.copyFrom(b);
  }

  /** An expected version: the right one, one off, any (-1), or far off. */
  int version(int current) {
    return switch (random.nextInt(7)) {
      case 0, 1 -> current;
      case 2 -> current + 1;
      case 3 -> current - 1;
      case 4 -> -1;
      case 5 -> Integer.MIN_VALUE;
      default -> Integer.MAX_VALUE;
    };
  }

  byte[] bytes(int maxLength) {
    byte[] b = new byte[random.nextInt(maxLength + 1)];
    random.nextBytes(b);
    return b;
  }
}
