package coord.it.cluster;

import coord.server.WallClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * A member's shifted wall clock: the member reads coord's wall time (entry timestamps, TTLs) with the offset
 * in a file, re-read every second, so the offset can jump while it runs (the server's test property
 * {@code coord.test.clock-offset-file}). The monotonic clock (Ratis' timers, session expiry) is left alone,
 * as it would be by an NTP step. libfaketime did this from outside the JVM until its cost on every clock
 * read turned out to slow the whole cluster thirteen-fold (docs/reliability.md).
 */
public final class FakeClock {
  private final Path offsetFile;

  private FakeClock(Path offsetFile) {
    this.offsetFile = offsetFile;
  }

  /** A clock whose offset lives in {@code offsetFile}, starting at +0. */
  public static FakeClock create(Path offsetFile) {
    FakeClock clock = new FakeClock(offsetFile);
    clock.setOffset("+0");
    return clock;
  }

  /** JVM options of a member that runs on this clock. */
  public List<String> jvmArgs() {
    return List.of("-D" + WallClock.OFFSET_FILE_PROPERTY + "=" + offsetFile);
  }

  /** Sets the offset from real time: {@code +0}, {@code +1h}, {@code -30m}, {@code +90s}. */
  public void setOffset(String offset) {
    WallClock.parseOffsetMillis(offset); // the server's syntax: a bad offset fails here, not in the member
    try {
      Path tmp = offsetFile.resolveSibling(offsetFile.getFileName() + ".tmp");
      Files.writeString(tmp, offset + "\n");
      Files.move(tmp, offsetFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the clock offset to " + offsetFile, e);
    }
  }
}
