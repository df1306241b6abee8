package coord.bench;

import coord.api.v1.CreateMode;
import coord.client.CoordClient;
import coord.client.CoordSession;
import coord.client.CreateOptions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The client the {@code session-expiry} drill kills, run in a JVM of its own: opens a session through the
 * ordinary client, creates {@code count} ephemerals {@code parent/e-i} owned by it, prints
 * {@code READY <sessionId> <negotiatedTimeoutMs>} and keeps the session alive until it is killed with
 * {@code kill -9} (no CloseSession: a client's death). Bounded: when its stdin closes (the drill is gone) or
 * after ten minutes it closes the session and exits.
 *
 * <p>Arguments: {@code ENDPOINTS PARENT COUNT TIMEOUT_MS}; the first endpoint is the member it talks to.
 */
public final class EphemeralOwnerMain {
  private static final int WINDOW = 256;
  private static final long LIFETIME_MINUTES = 10;

  private EphemeralOwnerMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println("usage: EphemeralOwnerMain ENDPOINTS PARENT COUNT TIMEOUT_MS");
      System.exit(2);
    }
    String parent = args[1];
    int count = Integer.parseInt(args[2]);
    Duration timeout = Duration.ofMillis(Long.parseLong(args[3]));
    CoordClient client = CoordClient.builder().endpoints(args[0]).requestTimeout(Duration.ofSeconds(60)).build();
    Thread lifetime = new Thread(() -> {
      try {
        TimeUnit.MINUTES.sleep(LIFETIME_MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      client.close();
      System.exit(0);
    }, "ephemeral-owner-lifetime");
    lifetime.setDaemon(true);
    lifetime.start();

    CoordSession session = client.openSession(timeout, null);
    CreateOptions owned = CreateOptions.none().session(session);
    for (int from = 0; from < count; from += WINDOW) {
      List<CompletableFuture<?>> window = new ArrayList<>();
      for (int i = from; i < Math.min(count, from + WINDOW); i++) {
        window.add(client.createAsync(parent + "/e-" + i, new byte[0], CreateMode.EPHEMERAL, owned));
      }
      CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
    }
    System.out.println("READY " + session.id() + " " + session.timeout().toMillis());
    System.out.flush();
    // The client's own threads keep the session alive; this thread only waits for the end.
    while (System.in.read() != -1) {
      // the drill writes nothing; EOF means it is gone
    }
    client.close();
    System.exit(0);
  }
}
