package coord.cli;

import coord.api.v1.Consistency;
import coord.client.CoordClient;
import coord.client.NodeData;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code get [-s] [--stale] path}: prints a node's data, and its stat with -s. */
@Command(name = "get", mixinStandardHelpOptions = true,
    description = "Print a node's data (as UTF-8 text); with -s, followed by its stat.")
final class GetCommand extends ClientCommand {
  @Option(names = "-s", description = "Also print the stat.")
  boolean stat;

  @Option(names = "--stale", description = "Read the serving node's local state, without asking the leader.")
  boolean stale;

  @Parameters(index = "0", paramLabel = "path")
  String path;

  @Override
  int run(CoordClient client, Output output) {
    NodeData node = client.getData(path, stale ? Consistency.STALE : Consistency.LINEARIZABLE);
    if (output.json()) {
      output.object(Output.putData(Output.newObject(path), node.data())
          .set("stat", Output.statJson(node.stat())));
      return ExitCodes.OK;
    }
    output.line(new String(node.data(), StandardCharsets.UTF_8));
    if (stat) {
      output.statBlock(node.stat());
    }
    return ExitCodes.OK;
  }

  @Override
  String path() {
    return path;
  }
}
