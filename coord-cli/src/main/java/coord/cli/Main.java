package coord.cli;

import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code coord}: zkCli's verbs as one-shot commands. Results on stdout, errors on stderr, exit codes as
 * documented in docs/cli.md ({@link ExitCodes}).
 */
@Command(name = "coord", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Command-line client for coord, a replicated coordination service.",
    footer = {"", "Exit codes: 0 ok, 1 no node, 2 usage, 3 precondition failed, 4 invalid request, "
        + "5 unavailable or timeout, 6 other error, 7 watch history compacted."},
    subcommands = {
        CreateCommand.class, GetCommand.class, SetCommand.class, DeleteCommand.class,
        DeleteAllCommand.class, LsCommand.class, StatCommand.class, ExistsCommand.class,
        SyncCommand.class, WatchCommand.class, AddWatchCommand.class, RemoveWatchesCommand.class,
        ClusterCommand.class, HelpCommand.class})
public final class Main implements Callable<Integer> {
  @Mixin
  final GlobalOptions global = new GlobalOptions();

  @Spec
  CommandSpec spec;

  final Map<String, String> env;

  private Main(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    System.exit(run(out, err, System.getenv(), args));
  }

  /** Runs {@code coord args} with the given writers and environment; returns the exit code. */
  public static int run(PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
    CommandLine commandLine = new CommandLine(new Main(env))
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setOut(out)
        .setErr(err)
        .setExecutionExceptionHandler((e, cmd, parseResult) -> {
          cmd.getErr().println("INTERNAL: " + e);
          return ExitCodes.OTHER;
        });
    try {
      return commandLine.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  /** {@code coord} alone: usage on stderr, usage-error exit code. */
  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** The project version, from a resource Maven fills in. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() throws Exception {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("/coord-cli-version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"coord " + p.getProperty("version", "unknown")};
    }
  }
}
