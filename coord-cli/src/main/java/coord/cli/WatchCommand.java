package coord.cli;

import coord.api.v1.WatchMode;
import coord.client.CoordClient;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code watch [--recursive] [--from-zxid Z] [--count N] [--wait S] path}: streams the changes of a node
 * (or, recursive, of its subtree) as they happen, one line or JSON object per event, until interrupted.
 * With {@code --from-zxid}, first every change since that zxid, or exit 7 if the cluster no longer keeps
 * that far back.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Stream a node's changes (with --recursive, its subtree's) until interrupted.")
final class WatchCommand extends ClientCommand {
  @Option(names = {"-r", "--recursive"},
      description = "Every change of the node and its descendants (not NodeChildrenChanged), not just the node's.")
  boolean recursive;

  @Option(names = "--from-zxid", paramLabel = "zxid",
      description = "Start after this zxid (decimal or 0x-hex): first every change since, then live. "
          + "Default: changes from now on. Exit 7 if the history no longer reaches back that far.")
  String fromZxid;

  @Mixin
  StreamOptions stream = new StreamOptions();

  @Parameters(index = "0", paramLabel = "path")
  String path;

  @Override
  int run(CoordClient client, Output output) {
    OptionalLong after;
    try {
      after = fromZxid == null ? OptionalLong.empty() : OptionalLong.of(Long.decode(fromZxid));
    } catch (NumberFormatException e) {
      return output.usageError("--from-zxid must be a zxid (decimal or 0x-hex), was " + fromZxid);
    }
    if (after.isPresent() && after.getAsLong() < 0) {
      return output.usageError("--from-zxid must not be negative, was " + fromZxid);
    }
    return stream.run(client, output, path,
        recursive ? WatchMode.WATCH_PERSISTENT_RECURSIVE : WatchMode.WATCH_PERSISTENT, after);
  }

  @Override
  String path() {
    return path;
  }
}
