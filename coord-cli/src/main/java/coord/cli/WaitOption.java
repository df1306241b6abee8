package coord.cli;

import picocli.CommandLine.Option;

/** {@code --wait seconds}: how long a watching command waits for events; default: until interrupted. */
final class WaitOption {
  @Option(names = "--wait", paramLabel = "seconds",
      description = "Wait at most this long for events (decimals allowed). Default: until interrupted (Ctrl-C).")
  Double seconds;

  /** Null when a read with {@code -w} (if {@code watch}) and these options is valid, else the usage message. */
  String invalidForWatch(boolean watch, StaleOption stale) {
    if (!watch) {
      return null;
    }
    return stale.stale ? "-w cannot be combined with --stale: a watch goes with a linearizable read" : invalid();
  }

  /** Null when the option is valid, else the usage message. */
  String invalid() {
    return seconds == null || (seconds > 0 && seconds <= 1e9) ? null
        : "--wait must be a positive number of seconds, was " + seconds;
  }

  /** The deadline as a {@link System#nanoTime()} value, or null to wait forever. */
  Long deadline() {
    return seconds == null ? null : System.nanoTime() + (long) (seconds * 1e9);
  }

  /** "5 s", for messages. */
  String describe() {
    return (seconds == Math.rint(seconds) ? Long.toString(seconds.longValue()) : seconds.toString()) + " s";
  }
}
