package coord.cli;

import coord.client.CoordClient;
import coord.client.NodeData;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code get [-s] [-w] [--stale] path}: prints a node's data, and its stat with -s; with -w, then waits
 * for the node's next change and prints it as zkCli does.
 */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Print a node's data (as UTF-8 text); with -s, followed by its stat.")
final class GetCommand extends ClientCommand {
  @Option(names = "-s", description = "Also print the stat.")
  boolean stat;

  @Mixin
  StaleOption stale = new StaleOption();

  @Option(names = "-w", description = "Watch: after the read, wait for the node's next change (data or deletion) "
      + "and print it.")
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
    NodeData node = watch ? client.getData(path, inbox)
        : client.getData(path, stale.consistency());
    if (output.json()) {
      output.object(Output.putData(Output.newObject(path), node.data())
          .set("stat", Output.statJson(node.stat())));
    } else {
      output.line(new String(node.data(), StandardCharsets.UTF_8));
      if (stat) {
        output.statBlock(node.stat());
      }
    }
    output.flush();
    return watch ? WatchPrinter.awaitOneShot(output, inbox, wait, path) : ExitCodes.OK;
  }

  @Override
  String path() {
    return path;
  }
}
