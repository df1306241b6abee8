package coord.cli;

import coord.client.CoordClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code sync path}: makes the serving node catch up with the leader. */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Make the serving node catch up with the leader.")
final class SyncCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "path")
  String path;

  @Override
  int run(CoordClient client, Output output) {
    client.sync(path);
    if (output.json()) {
      output.object(Output.newObject(path).put("synced", true));
    }
    return ExitCodes.OK;
  }

  @Override
  String path() {
    return path;
  }
}
