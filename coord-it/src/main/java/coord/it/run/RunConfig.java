package coord.it.run;

import coord.it.cluster.ClusterSpec.NetworkMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One run's settings.
 *
 * @param runDir folder for logs, histories and the report
 * @param faultTime how long faults are injected while the workloads run
 * @param seed seed of every random choice (fault order and targets, workloads)
 * @param failpoint server failpoint for every member ({@code -Dcoord.failpoint=...}), or null
 * @param network where the members live
 * @param faults fault kinds to use; empty: every kind the machine supports
 * @param hold how long each fault lasts
 * @param rest pause between a recovery and the next fault
 * @param opTimeout client-side timeout of one workload operation
 * @param sessionTimeout session timeout the workloads ask for
 * @param clock start one member with a shifted wall clock (the server's test property
 *     {@code coord.test.clock-offset-file}) so that clock jumps are possible
 */
public record RunConfig(Path runDir, Duration faultTime, long seed, String failpoint, NetworkMode network,
    List<String> faults, Duration hold, Duration rest, Duration opTimeout, Duration sessionTimeout, boolean clock) {

  public RunConfig {
    faults = List.copyOf(faults);
  }

  /** Defaults: every fault kind, 4 s faults with 2 s rests, 2 s operations, 6 s sessions, no faked clock. */
  public static RunConfig defaults(Path runDir, Duration faultTime, long seed) {
    return new RunConfig(runDir, faultTime, seed, null, NetworkMode.AUTO, List.of(), Duration.ofSeconds(4),
        Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(6), false);
  }

  public RunConfig withFailpoint(String name) {
    return new RunConfig(runDir, faultTime, seed, name, network, faults, hold, rest, opTimeout, sessionTimeout, clock);
  }

  public RunConfig withNetwork(NetworkMode mode) {
    return new RunConfig(runDir, faultTime, seed, failpoint, mode, faults, hold, rest, opTimeout, sessionTimeout, clock);
  }

  public RunConfig withFaults(List<String> kinds) {
    return new RunConfig(runDir, faultTime, seed, failpoint, network, kinds, hold, rest, opTimeout, sessionTimeout, clock);
  }

  public RunConfig withClock(boolean on) {
    return new RunConfig(runDir, faultTime, seed, failpoint, network, faults, hold, rest, opTimeout, sessionTimeout, on);
  }

  public RunConfig withHold(Duration h, Duration r) {
    return new RunConfig(runDir, faultTime, seed, failpoint, network, faults, h, r, opTimeout, sessionTimeout, clock);
  }

  /** A bad command line; the message says which option and why. */
  public static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  static final String USAGE = """
      usage: coord.it.run.Main [--minutes N | --seconds N] [--seed S] [--failpoint NAME]
                               [--network auto|loopback|netns|proxy] [--faults KIND,...]
                               [--hold-seconds N] [--rest-seconds N] [--clock] [--run-dir DIR]
        fault kinds: kill-leader kill-follower pause-leader pause-follower partition-leader
                     partition-follower bridge one-way loss clock-jump (default: all the machine supports)
        --network: auto (default) is netns when root with ip and nft, else proxy; loopback has no link faults
        --clock: start one member with a shifted wall clock, enabling clock-jump
      """;

  /** Parses the driver's command line; {@code defaultRunDir} is used without {@code --run-dir}. */
  public static RunConfig parse(String[] args, Path defaultRunDir) {
    Duration time = Duration.ofSeconds(60);
    long seed = System.currentTimeMillis();
    String failpoint = null;
    NetworkMode network = NetworkMode.AUTO;
    List<String> faults = new ArrayList<>();
    Duration hold = Duration.ofSeconds(4);
    Duration rest = Duration.ofSeconds(2);
    boolean clock = false;
    Path runDir = defaultRunDir;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--minutes" -> time = Duration.ofMinutes(positive(a, value(args, ++i, a)));
        case "--seconds" -> time = Duration.ofSeconds(positive(a, value(args, ++i, a)));
        case "--seed" -> seed = number(a, value(args, ++i, a));
        case "--failpoint" -> failpoint = value(args, ++i, a);
        case "--network" -> {
          String v = value(args, ++i, a);
          try {
            network = NetworkMode.valueOf(v.toUpperCase(Locale.ROOT));
          } catch (IllegalArgumentException e) {
            throw new UsageException("--network must be auto, loopback, netns or proxy, got '" + v + "'");
          }
        }
        case "--faults" -> faults.addAll(Arrays.stream(value(args, ++i, a).split(",")).map(String::strip)
            .filter(s -> !s.isEmpty()).toList());
        case "--hold-seconds" -> hold = Duration.ofSeconds(positive(a, value(args, ++i, a)));
        case "--rest-seconds" -> rest = Duration.ofSeconds(positive(a, value(args, ++i, a)));
        case "--clock" -> clock = true;
        case "--run-dir" -> runDir = Path.of(value(args, ++i, a));
        default -> throw new UsageException("unknown option '" + a + "'");
      }
    }
    return new RunConfig(runDir.toAbsolutePath(), time, seed, failpoint, network, faults, hold, rest,
        Duration.ofSeconds(2), Duration.ofSeconds(6), clock);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static long number(String option, String v) {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new UsageException(option + " must be a number, got '" + v + "'");
    }
  }

  private static long positive(String option, String v) {
    long n = number(option, v);
    if (n <= 0) {
      throw new UsageException(option + " must be positive, got " + n);
    }
    return n;
  }
}
