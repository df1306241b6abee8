package coord.cli;

import coord.api.v1.Consistency;
import coord.api.v1.ErrorCode;
import coord.api.v1.Stat;
import coord.client.CoordClient;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stat [--stale] path}: prints a node's stat. */
@Command(name = "stat", mixinStandardHelpOptions = true, description = "Print a node's stat.")
final class StatCommand extends ClientCommand {
  @Option(names = "--stale", description = "Read the serving node's local state, without asking the leader.")
  boolean stale;

  @Parameters(index = "0", paramLabel = "path")
  String path;

  @Override
  int run(CoordClient client, Output output) {
    Optional<Stat> stat = client.exists(path, stale ? Consistency.STALE : Consistency.LINEARIZABLE);
    if (stat.isEmpty()) {
      return output.error(ErrorCode.NO_NODE, path, "Node does not exist: " + path);
    }
    if (output.json()) {
      output.object(Output.newObject(path).set("stat", Output.statJson(stat.get())));
    } else {
      output.statBlock(stat.get());
    }
    return ExitCodes.OK;
  }

  @Override
  String path() {
    return path;
  }
}
