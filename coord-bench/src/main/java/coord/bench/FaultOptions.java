package coord.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** The options of the fault drills ({@code failover}, {@code session-expiry}): a picocli mixin of {@link Main}. */
final class FaultOptions {
  /** Set by {@code bin/coord-bench}: the source checkout, where {@code deploy/local/cluster.sh} lives. */
  static final String ROOT_ENV = "COORD_ROOT";
  /** cluster.sh's data folder variable; the failover drill reads the node pid files from it. */
  static final String LOCAL_DIR_ENV = "COORD_LOCAL_DIR";
  static final Duration DEFAULT_DRILL_TIMEOUT = Duration.ofSeconds(30);

  private static final List<String> FAILOVER_ONLY =
      List.of("--rate", "--freeze", "--cluster-dir", "--no-restart", "--before", "--after");
  private static final List<String> SESSION_EXPIRY_ONLY = List.of("--ephemerals", "--session-timeout");
  private static final List<String> NOT_FOR_DRILLS =
      List.of("--outstanding", "--value-size", "--keys", "--duration", "--ops", "--warmup", "--keep");

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--rounds", paramLabel = "N", description = "failover, session-expiry: repetitions. Default: 3.")
  int rounds = 3;

  @Option(names = "--rate", paramLabel = "OPS/S",
      description = "failover: creates per second, spread over the clients. Default: 200.")
  int rate = 200;

  @Option(names = "--freeze", description = "failover: SIGSTOP the leader (SIGCONT after the round) instead of kill -9.")
  boolean freeze;

  @Option(names = "--cluster-dir", paramLabel = "DIR",
      description = "failover: the cluster.sh data folder with nodeN/node.pid. Default: $" + LOCAL_DIR_ENV
          + ", else deploy/local/data of this checkout.")
  Path clusterDir;

  @Option(names = "--no-restart",
      description = "failover: leave a killed leader down (one round only) instead of 'cluster.sh restart N'.")
  boolean noRestart;

  @Option(names = "--before", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "failover: steady writes before the fault. Default: 5s.")
  Duration before = Duration.ofSeconds(5);

  @Option(names = "--after", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "failover: writes go on this long after the first new acknowledgement. Default: 3s.")
  Duration after = Duration.ofSeconds(3);

  @Option(names = "--ephemerals", paramLabel = "N",
      description = "session-expiry: ephemeral znodes the killed client owns. Default: 1000.")
  int ephemerals = 1000;

  @Option(names = "--session-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "session-expiry: the session timeout the client asks for. Default: 10s.")
  Duration sessionTimeout = Duration.ofSeconds(10);

  /**
   * Rejects the drill options on workloads they do not apply to.
   *
   * @throws ParameterException for an option of another workload
   */
  void checkApplicable(Workload w) {
    ParseResult parsed = spec.commandLine().getParseResult();
    for (String name : FAILOVER_ONLY) {
      if (w != Workload.FAILOVER && parsed.hasMatchedOption(name)) {
        throw usage(name + " applies to failover only");
      }
    }
    for (String name : SESSION_EXPIRY_ONLY) {
      if (w != Workload.SESSION_EXPIRY && parsed.hasMatchedOption(name)) {
        throw usage(name + " applies to session-expiry only");
      }
    }
    if (!w.isFaultDrill() && parsed.hasMatchedOption("--rounds")) {
      throw usage("--rounds applies to failover and session-expiry only");
    }
    if (w.isFaultDrill()) {
      for (String name : NOT_FOR_DRILLS) {
        if (parsed.hasMatchedOption(name)) {
          throw usage(name + " does not apply to " + w.cliName);
        }
      }
    }
  }

  /**
   * The validated drill settings.
   *
   * @param base the common settings (endpoints, clients, prefix, timeout) already validated by {@link Main}
   * @throws ParameterException for a bad value
   */
  FaultSettings settings(Settings base, Map<String, String> env) {
    if (rounds < 1 || rounds > 100) {
      throw usage("--rounds must be 1..100, was " + rounds);
    }
    Duration timeout = spec.commandLine().getParseResult().hasMatchedOption("--timeout")
        ? base.requestTimeout() : DEFAULT_DRILL_TIMEOUT;
    if (base.workload() == Workload.FAILOVER) {
      if (rate < 1 || rate > 100_000) {
        throw usage("--rate must be 1..100000 creates per second, was " + rate);
      }
      if (base.endpoints().size() < 3) {
        throw usage("failover needs the endpoints of every member (at least 3), got " + base.endpoints().size());
      }
      if (noRestart && rounds > 1 && !freeze) {
        throw usage("--no-restart leaves the killed leader down: give --rounds 1");
      }
      if (before.isZero() || after.isZero()) {
        throw usage("--before and --after must be positive");
      }
    } else {
      if (ephemerals < 1 || ephemerals > 100_000) {
        throw usage("--ephemerals must be 1..100000, was " + ephemerals);
      }
      if (sessionTimeout.toMillis() < 1) {
        throw usage("--session-timeout must be at least 1ms");
      }
      if (base.endpoints().size() < 2) {
        throw usage("session-expiry needs two members: the client on one, the watcher on another");
      }
    }
    Path root = env.get(ROOT_ENV) == null || env.get(ROOT_ENV).isBlank() ? null : Path.of(env.get(ROOT_ENV));
    Path dir = clusterDir;
    if (dir == null && env.get(LOCAL_DIR_ENV) != null && !env.get(LOCAL_DIR_ENV).isBlank()) {
      dir = Path.of(env.get(LOCAL_DIR_ENV));
    }
    if (dir == null && root != null) {
      dir = root.resolve("deploy/local/data");
    }
    Path script = root == null ? null : root.resolve("deploy/local/cluster.sh");
    if (script != null && !Files.isExecutable(script)) {
      script = null;
    }
    return new FaultSettings(base.workload(), base.endpoints(), base.clients(), base.prefix(), timeout, rounds,
        rate, freeze, before, after, dir == null ? null : dir.toAbsolutePath().normalize(),
        noRestart ? null : script, ephemerals, sessionTimeout);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
