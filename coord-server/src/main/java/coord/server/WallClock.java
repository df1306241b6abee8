package coord.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wall clock coord reads for the time it stamps into entries (ctime, mtime, request-id retention) and
 * for TTLs; Raft timers and session expiry use the monotonic clock instead. For the fault suite's clock
 * jumps a JVM started with {@code -Dcoord.test.clock-offset-file=F} shifts these reads by the offset in F
 * ({@code +0}, {@code +1h}, {@code -30m}, {@code +90s}, {@code +2d}), re-read at most once a second.
 * libfaketime did the same from outside, but its cost on every clock read slowed a cluster thirteen-fold.
 */
public final class WallClock implements LongSupplier {
  /** The test-only JVM property naming the offset file; coord-it's clock-jump fault writes that file. */
  public static final String OFFSET_FILE_PROPERTY = "coord.test.clock-offset-file";
  private static final Logger LOG = LoggerFactory.getLogger(WallClock.class);
  private static final Pattern OFFSET = Pattern.compile("([+-])(\\d+)([smhd]?)");
  private static final long REREAD_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Path offsetFile;
  private final LongSupplier realMillis;
  private final LongSupplier nanos;
  private long offsetMillis;
  private long readAtNanos;
  private boolean read;

  WallClock(Path offsetFile, LongSupplier realMillis, LongSupplier nanos) {
    this.offsetFile = offsetFile;
    this.realMillis = realMillis;
    this.nanos = nanos;
  }

  /** The system clock, or the shifted one when the test property names an offset file. */
  static LongSupplier fromSystemProperties() {
    String file = System.getProperty(OFFSET_FILE_PROPERTY);
    if (file == null || file.isEmpty()) {
      return System::currentTimeMillis;
    }
    LOG.warn("wall clock shifted by the offset in {} (testing only)", file);
    return new WallClock(Path.of(file), System::currentTimeMillis, System::nanoTime);
  }

  @Override
  public synchronized long getAsLong() {
    long now = nanos.getAsLong();
    if (!read || now - readAtNanos >= REREAD_NANOS) {
      long next = readOffset();
      if (read && next != offsetMillis) {
        LOG.warn("wall clock offset now {} ms", next);
      }
      offsetMillis = next;
      readAtNanos = now;
      read = true;
    }
    return realMillis.getAsLong() + offsetMillis;
  }

  private long readOffset() {
    String text;
    try {
      text = Files.readString(offsetFile).strip();
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the clock offset file " + offsetFile, e);
    }
    return parseOffsetMillis(text);
  }

  /** {@code +1h} as 3,600,000; {@code -30m}; {@code +0}; a number alone is seconds. */
  public static long parseOffsetMillis(String text) {
    Matcher m = OFFSET.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("clock offset must look like +0, +1h, -30m or +90s, got '" + text + "'");
    }
    long amount = Long.parseLong(m.group(2));
    TimeUnit unit = switch (m.group(3)) {
      case "m" -> TimeUnit.MINUTES;
      case "h" -> TimeUnit.HOURS;
      case "d" -> TimeUnit.DAYS;
      default -> TimeUnit.SECONDS;
    };
    long millis = unit.toMillis(amount);
    return m.group(1).equals("-") ? -millis : millis;
  }
}
