package coord.cli;

import coord.api.v1.WatchMode;
import coord.client.CoordClient;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code addWatch [-m PERSISTENT|PERSISTENT_RECURSIVE] path}: zkCli's persistent watch. A one-shot command
 * has no session to keep it in, so it streams the events like {@code watch} until interrupted.
 */
@Command(name = "addWatch", aliases = "addwatch", mixinStandardHelpOptions = true,
    description = "Add a persistent watch (zkCli's) and stream its events, like watch, until interrupted.")
final class AddWatchCommand extends ClientCommand {
  /** zkCli's mode names. */
  enum Mode { PERSISTENT, PERSISTENT_RECURSIVE }

  @Option(names = "-m", paramLabel = "mode",
      description = "PERSISTENT (the node's changes) or PERSISTENT_RECURSIVE (its subtree's, the default).")
  Mode mode = Mode.PERSISTENT_RECURSIVE;

  @Mixin
  StreamOptions stream = new StreamOptions();

  @Parameters(index = "0", paramLabel = "path")
  String path;

  @Override
  int run(CoordClient client, Output output) {
    return stream.run(client, output, path,
        mode == Mode.PERSISTENT ? WatchMode.WATCH_PERSISTENT : WatchMode.WATCH_PERSISTENT_RECURSIVE,
        OptionalLong.empty());
  }

  @Override
  String path() {
    return path;
  }
}
