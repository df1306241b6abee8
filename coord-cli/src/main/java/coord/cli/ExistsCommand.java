package coord.cli;

import coord.api.v1.Stat;
import coord.client.CoordClient;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code exists [--stale] path}: for scripts ({@code if coord exists /x; then ...}). Prints the stat and
 * exits 0 when the node exists; exits 1 when it does not (text: a message on stderr; json: an object with
 * {@code "exists":false} on stdout).
 */
@Command(name = "exists", mixinStandardHelpOptions = true,
    description = "Exit 0 and print the stat if the node exists, else exit 1.")
final class ExistsCommand extends ClientCommand {
  @Mixin
  StaleOption stale = new StaleOption();

  @Parameters(index = "0", paramLabel = "path")
  String path;

  @Override
  int run(CoordClient client, Output output) {
    Optional<Stat> stat = client.exists(path, stale.consistency());
    if (output.json()) {
      var node = Output.newObject(path).put("exists", stat.isPresent());
      stat.ifPresent(s -> node.set("stat", Output.statJson(s)));
      output.object(node);
    } else if (stat.isPresent()) {
      output.statBlock(stat.get());
    } else {
      spec.commandLine().getErr().println("Node does not exist: " + path);
    }
    return stat.isPresent() ? ExitCodes.OK : ExitCodes.NO_NODE;
  }

  @Override
  String path() {
    return path;
  }
}
