package coord.bench;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code 30s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a bare number of seconds ({@code 1.5}). */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern FORMAT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)?");

  @Override
  public Duration convert(String value) {
    Matcher m = FORMAT.matcher(value.trim());
    if (!m.matches()) {
      throw new TypeConversionException("'" + value + "' is not a duration (e.g. 30s, 500ms, 2m)");
    }
    double amount = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double nanos = amount * switch (unit) {
      case "ms" -> 1e6;
      case "m" -> 60e9;
      case "h" -> 3600e9;
      default -> 1e9;
    };
    if (nanos > 7 * 24 * 3600e9) {
      throw new TypeConversionException("'" + value + "' is longer than a week");
    }
    return Duration.ofNanos((long) nanos);
  }
}
