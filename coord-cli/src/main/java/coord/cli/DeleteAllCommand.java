package coord.cli;

import coord.client.CoordClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code deleteall path}: deletes a node and its whole subtree in one atomic step. */
@Command(name = "deleteall", mixinStandardHelpOptions = true,
    description = "Delete a node and all its descendants, atomically.")
final class DeleteAllCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "path")
  String path;

  @Override
  int run(CoordClient client, Output output) {
    long deleted = client.deleteAll(path);
    if (output.json()) {
      output.object(Output.newObject(path).put("deleted", deleted));
    }
    return ExitCodes.OK;
  }

  @Override
  String path() {
    return path;
  }
}
