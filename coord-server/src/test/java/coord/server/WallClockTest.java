package coord.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WallClockTest {
  private static final long REAL = 1_700_000_000_000L;

  @TempDir Path dir;
  private long nanos;

  private WallClock clock(Path file) {
    return new WallClock(file, () -> REAL, () -> nanos);
  }

  @Test
  void offsetsInLibfaketimeSyntax() {
    assertThat(WallClock.parseOffsetMillis("+0")).isZero();
    assertThat(WallClock.parseOffsetMillis("+1h")).isEqualTo(3_600_000);
    assertThat(WallClock.parseOffsetMillis("-30m")).isEqualTo(-1_800_000);
    assertThat(WallClock.parseOffsetMillis("+90s")).isEqualTo(90_000);
    assertThat(WallClock.parseOffsetMillis("-2")).isEqualTo(-2_000);
    assertThat(WallClock.parseOffsetMillis("+1d")).isEqualTo(86_400_000);
    assertThatThrownBy(() -> WallClock.parseOffsetMillis("1 hour"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'1 hour'");
  }

  @Test
  void noFileMeansNoOffset() {
    assertThat(clock(dir.resolve("absent")).getAsLong()).isEqualTo(REAL);
  }

  @Test
  void aJumpIsSeenWithinASecond() throws Exception {
    Path file = dir.resolve("offset");
    Files.writeString(file, "+1h\n");
    WallClock clock = clock(file);
    assertThat(clock.getAsLong()).isEqualTo(REAL + 3_600_000);

    Files.writeString(file, "-1h\n");
    nanos += TimeUnit.MILLISECONDS.toNanos(999);
    assertThat(clock.getAsLong()).as("re-read at most once a second").isEqualTo(REAL + 3_600_000);
    nanos += TimeUnit.MILLISECONDS.toNanos(1);
    assertThat(clock.getAsLong()).isEqualTo(REAL - 3_600_000);
  }
}
