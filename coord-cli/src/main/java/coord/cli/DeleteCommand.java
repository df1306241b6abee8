package coord.cli;

import coord.client.CoordClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code delete [-v version] path}: deletes a childless node. */
@Command(name = "delete", mixinStandardHelpOptions = true,
    description = "Delete a node that has no children.")
final class DeleteCommand extends ClientCommand {
  @Option(names = "-v", paramLabel = "version", defaultValue = "-1",
      description = "Only if the data version is this one (-1: any, the default).")
  int version;

  @Parameters(index = "0", paramLabel = "path")
  String path;

  @Override
  int run(CoordClient client, Output output) {
    client.delete(path, version);
    if (output.json()) {
      output.object(Output.newObject(path).put("deleted", 1));
    }
    return ExitCodes.OK;
  }

  @Override
  String path() {
    return path;
  }
}
