package coord.cli;

import coord.api.v1.Stat;
import coord.client.CoordClient;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code set [-s] [-v version] path data}: replaces a node's data. */
@Command(name = "set", mixinStandardHelpOptions = true,
    description = "Set a node's data; prints nothing, or the new stat with -s.")
final class SetCommand extends ClientCommand {
  @Option(names = "-s", description = "Print the new stat.")
  boolean stat;

  @Option(names = "-v", paramLabel = "version", defaultValue = "-1",
      description = "Only if the data version is this one (-1: any, the default).")
  int version;

  @Parameters(index = "0", paramLabel = "path")
  String path;

  @Parameters(index = "1", paramLabel = "data", description = "UTF-8 text.")
  String data;

  @Override
  int run(CoordClient client, Output output) {
    Stat result = client.setData(path, data.getBytes(StandardCharsets.UTF_8), version);
    if (output.json()) {
      output.object(Output.newObject(path).set("stat", Output.statJson(result)));
    } else if (stat) {
      output.statBlock(result);
    }
    return ExitCodes.OK;
  }

  @Override
  String path() {
    return path;
  }
}
