package coord.cli;

import coord.api.v1.CreateMode;
import coord.client.CoordClient;
import coord.client.Created;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code create [-s] path [data]}: creates a persistent node, sequential with -s. */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = "Create a node; prints the path as created.")
final class CreateCommand extends ClientCommand {
  @Option(names = "-s", description = "Sequential: append a 10-digit, per-parent increasing counter to the name.")
  boolean sequential;

  @Parameters(index = "0", paramLabel = "path")
  String path;

  @Parameters(index = "1", paramLabel = "data", arity = "0..1", description = "UTF-8 text; empty if omitted.")
  String data;

  @Override
  int run(CoordClient client, Output output) {
    byte[] bytes = data == null ? new byte[0] : data.getBytes(StandardCharsets.UTF_8);
    Created created = client.create(path, bytes,
        sequential ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.PERSISTENT);
    if (output.json()) {
      output.object(Output.newObject(created.path()).set("stat", Output.statJson(created.stat())));
    } else {
      output.line("Created " + created.path());
    }
    return ExitCodes.OK;
  }

  @Override
  String path() {
    return path;
  }
}
