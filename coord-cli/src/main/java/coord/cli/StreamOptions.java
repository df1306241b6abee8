package coord.cli;

import coord.api.v1.WatchMode;
import coord.client.CoordClient;
import coord.client.WatchSubscription;
import java.util.OptionalLong;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of the streaming watch commands ({@code watch}, {@code addWatch}) and their common run. */
final class StreamOptions {
  @Option(names = "--count", paramLabel = "n", description = "Exit 0 after this many events (for scripts).")
  Integer count;

  @Mixin
  WaitOption wait = new WaitOption();

  /** Adds the watch and prints its events until done; returns the exit code. */
  int run(CoordClient client, Output output, String path, WatchMode mode, OptionalLong after) {
    if (count != null && count < 1) {
      return output.usageError("--count must be at least 1, was " + count);
    }
    if (wait.invalid() != null) {
      return output.usageError(wait.invalid());
    }
    WatchInbox inbox = new WatchInbox();
    try (WatchSubscription ignored = client.watch(path, mode, after, inbox)) {
      return WatchPrinter.stream(output, inbox, wait, count, path);
    }
  }
}
