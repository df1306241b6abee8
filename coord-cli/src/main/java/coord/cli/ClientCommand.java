package coord.cli;

import coord.client.CoordClient;
import coord.client.CoordException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the cluster: opens a {@link CoordClient} from the global options, runs, closes
 * it, and turns a failed call into its message on stderr and its exit code.
 */
abstract class ClientCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** Runs the command; returns the exit code. A {@link CoordException} thrown here is reported for {@link #path()}. */
  abstract int run(CoordClient client, Output output);

  /** The path the command is about, used in error messages when the server names none; may be null. */
  abstract String path();

  @Override
  public final Integer call() {
    Main main = (Main) spec.root().userObject();
    GlobalOptions global = main.global;
    Output output = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), global.json());
    Duration timeout = global.timeout();
    if (timeout == null) {
      return output.usageError("--timeout must be a positive number of seconds, was " + global.timeoutSeconds);
    }
    CoordClient client;
    try {
      client = CoordClient.builder()
          .endpoints(global.endpoints(main.env))
          .requestTimeout(timeout)
          .build();
    } catch (IllegalArgumentException e) {
      return output.usageError("--endpoints: " + e.getMessage());
    }
    try (client) {
      return run(client, output);
    } catch (CoordException e) {
      return output.error(e, path());
    }
  }
}
