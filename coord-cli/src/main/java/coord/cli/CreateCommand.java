package coord.cli;

import coord.api.v1.CreateMode;
import coord.client.CoordClient;
import coord.client.CoordSession;
import coord.client.CreateOptions;
import coord.client.Created;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code create [-s] [-e] [-c] [-t ttl] path [data]}: zkCli's create. An ephemeral node (-e) belongs to a
 * session that this command opens and closes: it is deleted when the command ends.
 */
@Command(name = "create", mixinStandardHelpOptions = true,
    description = "Create a node; prints the path as created.")
final class CreateCommand extends ClientCommand {
  @Option(names = "-s", description = "Sequential: append a 10-digit, per-parent increasing counter to the name.")
  boolean sequential;

  @Option(names = "-e", description = "Ephemeral: owned by this command's session, so deleted when the command ends.")
  boolean ephemeral;

  @Option(names = "-c", description = "Container: deleted by the server once it has had children and the last is gone.")
  boolean container;

  @Option(names = "-t", paramLabel = "ttl",
      description = "TTL in milliseconds: deleted by the server once unchanged this long and childless.")
  Long ttlMillis;

  @Option(names = "--hold", description = "With -e: keep the session, and so the node, until this command is "
      + "stopped (Ctrl-C or SIGTERM delete the node at once; after kill -9 it goes when the session times out).")
  boolean hold;

  @Option(names = "--session-timeout", paramLabel = "seconds",
      description = "With -e: the timeout of the command's session (decimals allowed). Default: 10.")
  double sessionTimeoutSeconds = 10;

  @Parameters(index = "0", paramLabel = "path")
  String path;

  @Parameters(index = "1", paramLabel = "data", arity = "0..1", description = "UTF-8 text; empty if omitted.")
  String data;

  @Override
  int run(CoordClient client, Output output) {
    String invalid = invalidCombination();
    if (invalid != null) {
      return output.usageError(invalid);
    }
    byte[] bytes = data == null ? new byte[0] : data.getBytes(StandardCharsets.UTF_8);
    CreateOptions options = ttlMillis == null ? CreateOptions.none() : CreateOptions.none().ttl(Duration.ofMillis(ttlMillis));
    Created created;
    if (ephemeral && hold) {
      return createAndHold(client, bytes, options, output);
    }
    if (ephemeral) {
      long sessionId;
      try (CoordSession session = client.openSession(Duration.ofNanos((long) (sessionTimeoutSeconds * 1e9)), null)) {
        sessionId = session.id();
        created = client.create(path, bytes, mode(), options.session(session));
        print(created, output);
      } // closing the session deletes the node
      output.note("EPHEMERAL_ENDS_WITH_COMMAND", "Note: " + created.path() + " was ephemeral: it belonged to "
          + "this command's session " + Output.hex(sessionId) + ", which ended with the command, so the node "
          + "is gone. Keep an ephemeral node with a long-lived client (e.g. the Java client).");
      return ExitCodes.OK;
    }
    created = client.create(path, bytes, mode(), options);
    print(created, output);
    return ExitCodes.OK;
  }

  /** Creates the ephemeral node, then keeps its session alive until the process is stopped. */
  private int createAndHold(CoordClient client, byte[] bytes, CreateOptions options, Output output) {
    CoordSession session = client.openSession(Duration.ofNanos((long) (sessionTimeoutSeconds * 1e9)), null);
    Created created = client.create(path, bytes, mode(), options.session(session));
    print(created, output);
    CountDownLatch stopped = new CountDownLatch(1);
    // a clean stop closes the session, which deletes the node at once; kill -9 leaves it to expire
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      session.close();
      stopped.countDown();
    }, "coord-hold"));
    output.note("HOLDING", "Holding " + created.path() + " in session " + Output.hex(session.id())
        + " (timeout " + session.timeout().toMillis() + " ms) until this command is stopped.");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return ExitCodes.OK;
  }

  private static void print(Created created, Output output) {
    if (output.json()) {
      output.object(Output.newObject(created.path()).set("stat", Output.statJson(created.stat())));
    } else {
      output.line("Created " + created.path());
    }
    output.flush();
  }

  /** zkCli's rules for the flags, or null when they go together. */
  private String invalidCombination() {
    if (container && (sequential || ephemeral || ttlMillis != null)) {
      return "-c cannot be combined with -s, -e or -t";
    }
    if (hold && !ephemeral) {
      return "--hold keeps an ephemeral node: it needs -e";
    }
    if (ttlMillis != null && ephemeral) {
      return "-t cannot be combined with -e: a TTL node is persistent";
    }
    if (ttlMillis != null && (ttlMillis < 1 || ttlMillis > CreateOptions.MAX_TTL.toMillis())) {
      return "-t must be between 1 and " + CreateOptions.MAX_TTL.toMillis() + " milliseconds, was " + ttlMillis;
    }
    if (ephemeral && !(sessionTimeoutSeconds >= 0.001 && sessionTimeoutSeconds <= 86_400)) {
      return "--session-timeout must be a positive number of seconds, was " + sessionTimeoutSeconds;
    }
    return null;
  }

  private CreateMode mode() {
    if (container) {
      return CreateMode.CONTAINER;
    }
    if (ephemeral) {
      return sequential ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.EPHEMERAL;
    }
    if (ttlMillis != null) {
      return sequential ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL : CreateMode.PERSISTENT_WITH_TTL;
    }
    return sequential ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.PERSISTENT;
  }

  @Override
  String path() {
    return path;
  }
}
