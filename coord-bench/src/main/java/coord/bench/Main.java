package coord.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code coord-bench WORKLOAD [options]}: a load generator for a coord cluster, in the manner of etcd's
 * benchmark tool. The result goes to stdout (text or {@code -o json}), progress and errors to stderr.
 * See docs/benchmarks.md.
 */
@Command(name = "coord-bench", mixinStandardHelpOptions = true, sortOptions = false,
    versionProvider = Main.Version.class,
    description = {"Benchmarks a coord cluster (or, with --system, a ZooKeeper ensemble or an etcd cluster).", "",
        "Workloads:",
        "  write          setData of --value-size bytes on --keys existing znodes",
        "  create-delete  create a sequential znode, then delete it (one op = the pair)",
        "  read           getData (linearizable, or --stale), clients on all members",
        "  mixed          --read-ratio reads, the rest writes, clients on all members",
        "  watch-latency  setData at one member -> event at a watcher on another",
        "  failover       steady creates, then kill -9 (--freeze: SIGSTOP) of the leader",
        "                 of a cluster.sh cluster: unavailability window, lost writes",
        "  session-expiry kill -9 of a client owning ephemerals -> all gone at a watcher", ""},
    footer = {"", "Fault drills against a deploy/local/cluster.sh cluster (same COORD_LOCAL_DIR):",
        "  coord-bench failover --rounds 3           kill -9 of the leader, then",
        "                                            cluster.sh restart N, per round",
        "  coord-bench failover --freeze --rounds 3  SIGSTOP of the leader, SIGCONT",
        "  coord-bench session-expiry --rounds 3     1000 ephemerals, 10 s session",
        "", "Exit codes: 0 ok, 1 some operations failed (see errors; failover: a lost",
        "write, no recovery or a member not writable; session-expiry: ephemerals left),",
        "2 usage, 3 the --prefix exists already, 5 cluster unavailable, 6 other error."})
public final class Main implements Callable<Integer> {
  static final String ENDPOINTS_ENV = CoordSystem.ENDPOINTS_ENV;
  static final String DEFAULT_ENDPOINTS = CoordSystem.DEFAULT_ENDPOINTS;

  static final int OK = 0;
  static final int OPS_FAILED = 1;
  static final int USAGE = 2;
  static final int PREFIX_EXISTS = 3;
  static final int UNAVAILABLE = 5;
  static final int OTHER = 6;

  enum Format { text, json }

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "WORKLOAD", description = "write, create-delete, read, mixed, watch-latency, failover or session-expiry.")
  String workload;

  @Option(names = "--system", paramLabel = "coord|zookeeper|etcd",
      description = "System to load (zookeeper, etcd: with coord-bench-peers on the class path). Default: coord.")
  String system = Systems.DEFAULT;

  @Option(names = "--endpoints", paramLabel = "host:port[,host:port...]",
      description = "Members to load. Default: $" + ENDPOINTS_ENV + ", else " + DEFAULT_ENDPOINTS
          + " (zookeeper: 127.0.0.1:2181, etcd: 127.0.0.1:2379).")
  String endpoints;

  @Option(names = "--clients", paramLabel = "N", description = "Clients, each with its own connections. Default: 4.")
  int clients = 4;

  @Option(names = "--outstanding", paramLabel = "M",
      description = "Requests in flight per client. Default: 32 (watch-latency: 1).")
  Integer outstanding;

  @Option(names = "--value-size", paramLabel = "BYTES", description = "Value size. Default: 100.")
  int valueSize = 100;

  @Option(names = "--keys", paramLabel = "K", description = "Znodes written or read. Default: 1000.")
  int keys = 1000;

  @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Measured time, e.g. 30s, 2m (default 30s), unless --ops is given.")
  Duration duration;

  @Option(names = "--ops", paramLabel = "N", description = "Measure exactly N operations instead of a duration.")
  Long ops;

  @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Load before the clock starts, not measured. Default: 10s.")
  Duration warmup = Duration.ofSeconds(10);

  @Option(names = "--stale", description = "read, mixed: stale (local) reads instead of linearizable ones.")
  boolean stale;

  @Option(names = "--read-ratio", paramLabel = "0..1", description = "mixed: share of reads. Default: 0.9.")
  Double readRatio;

  @Option(names = "--prefix", paramLabel = "PATH",
      description = "Znode the benchmark works under; must not exist. Default: /bench.")
  String prefix = "/bench";

  @Option(names = "--keep", description = "Leave the prefix and its znodes in place at the end.")
  boolean keep;

  @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Budget of each call, failover included. Default: 10s (failover, session-expiry: 30s).")
  Duration timeout = Duration.ofSeconds(10);

  @Mixin
  FaultOptions faultOptions = new FaultOptions();

  @Option(names = {"-o", "--output"}, paramLabel = "text|json", description = "Result format. Default: text.")
  Format output = Format.text;

  private final Map<String, String> env;

  Main(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    System.exit(run(out, err, System.getenv(), args));
  }

  /** Runs {@code coord-bench args} with the given writers and environment; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
    CommandLine commandLine = new CommandLine(new Main(env))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(out)
        .setErr(err)
        .setParameterExceptionHandler((e, a) -> {
          e.getCommandLine().getErr().println("coord-bench: " + e.getMessage());
          e.getCommandLine().getErr().println("Try 'coord-bench --help' for the options.");
          return USAGE;
        })
        .setExecutionExceptionHandler((e, cmd, parseResult) -> {
          cmd.getErr().println("coord-bench: INTERNAL: " + e);
          return OTHER;
        });
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    Settings settings = settings();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    faultOptions.checkApplicable(settings.workload());
    if (settings.workload().isFaultDrill()) {
      return FaultDrills.run(faultOptions.settings(settings, env), output == Format.json, out, err);
    }
    Meter.Result result;
    try {
      result = new BenchRun(settings, err).run();
    } catch (SetupException e) {
      return switch (e.kind()) {
        case PREFIX_EXISTS -> {
          err.println("coord-bench: " + e.getMessage());
          yield PREFIX_EXISTS;
        }
        case UNAVAILABLE -> {
          err.println("coord-bench: setup failed: " + e.getMessage());
          yield UNAVAILABLE;
        }
        case FAILED -> {
          err.println("coord-bench: setup failed: " + e.getMessage());
          yield OTHER;
        }
      };
    }
    out.print(output == Format.json ? Report.json(settings, result) + System.lineSeparator()
        : Report.text(settings, result));
    out.flush();
    return result.errorTotal() == 0 ? OK : OPS_FAILED;
  }

  /**
   * The validated settings.
   *
   * @throws ParameterException (exit code 2, with the message) for a bad or ill-fitting value
   */
  Settings settings() {
    Workload w = Workload.byName(workload)
        .orElseThrow(() -> usage("unknown workload '" + workload + "': expected one of " + Workload.names()));
    BenchSystem sys = Systems.byName(system).orElseThrow(() -> usage("unknown --system '" + system
        + "': expected one of " + Systems.names()
        + (system.equals("zookeeper") || system.equals("etcd") ? " (its driver is in coord-bench-peers)" : "")));
    List<String> eps = endpoints != null && !endpoints.isBlank()
        ? Arrays.stream(endpoints.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList()
        : sys.defaultEndpoints(env);
    if (eps.isEmpty()) {
      throw usage("--endpoints: no endpoint given");
    }
    for (String e : eps) {
      int colon = e.lastIndexOf(':');
      if (colon <= 0 || !e.substring(colon + 1).matches("\\d{1,5}")
          || Integer.parseInt(e.substring(colon + 1)) > 65535) {
        throw usage("--endpoints: '" + e + "' is not host:port");
      }
    }
    if (clients < 1 || clients > 1000) {
      throw usage("--clients must be 1..1000, was " + clients);
    }
    if (w == Workload.WATCH_LATENCY && spec.commandLine().getParseResult().hasMatchedOption("--clients")) {
      throw usage("--clients: watch-latency always uses one writer and one watcher");
    }
    int m = outstanding != null ? outstanding : w == Workload.WATCH_LATENCY ? 1 : 32;
    if (m < 1 || m > 10_000) {
      throw usage("--outstanding must be 1..10000, was " + m);
    }
    if (valueSize < 0 || valueSize > 1024 * 1024) {
      throw usage("--value-size must be 0..1048576 bytes, was " + valueSize);
    }
    if (keys < 1 || keys > 1_000_000) {
      throw usage("--keys must be 1..1000000, was " + keys);
    }
    if (duration != null && ops != null) {
      throw usage("give --duration or --ops, not both");
    }
    if (duration != null && duration.isZero()) {
      throw usage("--duration must be positive");
    }
    if (ops != null && ops < 1) {
      throw usage("--ops must be positive, was " + ops);
    }
    if (timeout.isZero()) {
      throw usage("--timeout must be positive");
    }
    if (stale && w != Workload.READ && w != Workload.MIXED) {
      throw usage("--stale applies to read and mixed only");
    }
    if (readRatio != null && w != Workload.MIXED) {
      throw usage("--read-ratio applies to mixed only");
    }
    double ratio = readRatio == null ? 0.9 : readRatio;
    if (!(ratio >= 0 && ratio <= 1)) {
      throw usage("--read-ratio must be between 0 and 1, was " + ratio);
    }
    if (!prefix.startsWith("/") || prefix.equals("/") || prefix.endsWith("/") || prefix.contains("//")) {
      throw usage("--prefix must be an absolute path other than /, without a trailing /, was '" + prefix + "'");
    }
    Duration d = ops == null ? (duration == null ? Duration.ofSeconds(30) : duration) : null;
    return new Settings(w, eps, w == Workload.WATCH_LATENCY ? 1 : clients, m, valueSize, keys, d,
        ops == null ? 0 : ops, warmup, stale, ratio, prefix, keep, timeout, sys);
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** The project version, from a resource Maven fills in. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws IOException {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("/coord-bench-version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"coord-bench " + p.getProperty("version", "unknown")};
    }
  }
}
