package coord.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A member's wall clock under libfaketime: the JVM runs with the library preloaded and reads its offset from
 * a file, re-read every second, so the offset can jump while it runs. The monotonic clock (Ratis' timers,
 * {@code System.nanoTime}) is left alone (brief, section 2.4).
 */
public final class FakeClock {
  private static final List<String> LIBRARY_DIRS = List.of("/usr/lib/x86_64-linux-gnu/faketime",
      "/usr/lib/aarch64-linux-gnu/faketime", "/usr/lib/faketime", "/usr/local/lib/faketime");

  private final Path library;
  private final Path offsetFile;

  private FakeClock(Path library, Path offsetFile) {
    this.library = library;
    this.offsetFile = offsetFile;
  }

  /** The installed libfaketime (Debian package {@code faketime}), if any. */
  public static Optional<Path> findLibrary() {
    return LIBRARY_DIRS.stream().map(d -> Path.of(d, "libfaketime.so.1")).filter(Files::isReadable).findFirst();
  }

  /** A clock whose offset lives in {@code offsetFile}, starting at +0. */
  public static FakeClock create(Path library, Path offsetFile) {
    FakeClock clock = new FakeClock(library, offsetFile);
    clock.setOffset("+0");
    return clock;
  }

  /** Environment of a JVM that runs on this clock. */
  public Map<String, String> environment() {
    return Map.of(
        "LD_PRELOAD", library.toString(),
        "FAKETIME_TIMESTAMP_FILE", offsetFile.toString(),
        "FAKETIME_CACHE_DURATION", "1",
        "FAKETIME_DONT_FAKE_MONOTONIC", "1");
  }

  /** Sets the offset from real time, in libfaketime's syntax: {@code +0}, {@code +1h}, {@code -30m}. */
  public void setOffset(String offset) {
    if (!offset.matches("[+-]\\d+[smhd]?")) {
      throw new IllegalArgumentException("offset must look like +0, +1h or -30m, got '" + offset + "'");
    }
    try {
      Path tmp = offsetFile.resolveSibling(offsetFile.getFileName() + ".tmp");
      Files.writeString(tmp, offset + "\n");
      Files.move(tmp, offsetFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the clock offset to " + offsetFile, e);
    }
  }
}
