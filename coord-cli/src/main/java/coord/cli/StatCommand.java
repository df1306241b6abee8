package coord.cli;

import coord.api.v1.ErrorCode;
import coord.api.v1.Stat;
import coord.client.CoordClient;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stat [-w] [--stale] path}: prints a node's stat; with -w, then waits for the node's next change
 * (its creation if it does not exist) and prints it as zkCli does.
 */
@Command(name = "stat", mixinStandardHelpOptions = true, description = "Print a node's stat.")
final class StatCommand extends ClientCommand {
  @Mixin
  StaleOption stale = new StaleOption();

  @Option(names = "-w", description = "Watch: after the read, wait for the node's next change (data, deletion, or "
      + "creation of a missing node) and print it.")
  boolean watch;

  @Mixin
  WaitOption wait = new WaitOption();

  @Parameters(index = "0", paramLabel = "path")
  String path;

  @Override
  int run(CoordClient client, Output output) {
    String invalid = wait.invalidForWatch(watch, stale);
    if (invalid != null) {
      return output.usageError(invalid);
    }
    WatchInbox inbox = new WatchInbox();
    Optional<Stat> stat = watch ? client.exists(path, inbox)
        : client.exists(path, stale.consistency());
    if (stat.isEmpty()) {
      int missing = output.error(ErrorCode.NO_NODE, path, "Node does not exist: " + path);
      // As zkCli's stat -w, the watch is set on a missing node too: wait for its creation.
      return watch ? WatchPrinter.awaitOneShot(output, inbox, wait, path) : missing;
    }
    if (output.json()) {
      output.object(Output.newObject(path).set("stat", Output.statJson(stat.get())));
    } else {
      output.statBlock(stat.get());
    }
    output.flush();
    return watch ? WatchPrinter.awaitOneShot(output, inbox, wait, path) : ExitCodes.OK;
  }

  @Override
  String path() {
    return path;
  }
}
