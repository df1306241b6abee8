package coord.bench;

import coord.api.v1.Consistency;
import coord.api.v1.CreateMode;
import coord.api.v1.WatchEvent;
import coord.api.v1.EventType;
import coord.api.v1.WatchMode;
import coord.client.CoordClient;
import coord.client.WatchSubscription;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code coord-bench session-expiry}: per round, a client in a child JVM ({@link EphemeralOwnerMain}) on one
 * member opens a session and creates {@code --ephemerals} ephemerals; it is killed with {@code kill -9};
 * a watcher on another member (a persistent recursive watch on the round's znode) measures the time from
 * the kill until the last ephemeral's deletion event arrives. A linearizable listing then confirms none is
 * left.
 */
final class SessionExpiryDrill {
  private static final Duration OWNER_READY_LIMIT = Duration.ofSeconds(120);

  /** One round's figures: times in ms from the kill; {@code allGoneMs} null when not all went in time. */
  record Round(int round, String ownerEndpoint, String watcherEndpoint, long sessionTimeoutMs, Double firstGoneMs,
      Double allGoneMs, int deletedEvents, int remaining) {}

  private final FaultSettings s;
  private final PrintWriter progress;

  SessionExpiryDrill(FaultSettings settings, PrintWriter progress) {
    this.s = settings;
    this.progress = progress;
  }

  /** Runs every round; the prefix exists and is empty. */
  List<Round> run(CoordClient admin) throws DrillException, InterruptedException {
    List<Round> rounds = new ArrayList<>();
    for (int r = 1; r <= s.rounds(); r++) {
      Round round = round(r, admin);
      rounds.add(round);
      say("round %d: session timeout %d ms, all %d ephemerals gone after %s (first after %s), %d left",
          r, round.sessionTimeoutMs(), s.ephemerals(),
          round.allGoneMs() == null ? "NOT ALL" : String.format("%.0f ms", round.allGoneMs()),
          round.firstGoneMs() == null ? "-" : String.format("%.0f ms", round.firstGoneMs()), round.remaining());
    }
    return rounds;
  }

  private Round round(int r, CoordClient admin) throws DrillException, InterruptedException {
    String parent = s.prefix() + "/round-" + r;
    admin.create(parent, new byte[0], CreateMode.PERSISTENT);
    List<String> ownerEndpoints = s.endpointsFrom(r - 1);
    List<String> watcherEndpoints = s.endpointsFrom(r);
    DeletionCounter deletions = new DeletionCounter(parent, s.ephemerals());
    Path ownerLog = null;
    Process owner = null;
    try (CoordClient watcher = CoordClient.builder().endpoints(watcherEndpoints)
        .requestTimeout(s.requestTimeout()).build();
        WatchSubscription watch = watcher.watch(parent, WatchMode.WATCH_PERSISTENT_RECURSIVE, OptionalLong.empty(),
            deletions)) {
      ownerLog = Files.createTempFile("coord-bench-owner-", ".log");
      owner = startOwner(ownerEndpoints, parent, ownerLog);
      String ready = awaitReady(owner, ownerLog);
      long timeoutMs = Long.parseLong(ready.split(" ")[2]);
      int created = admin.getChildren(parent, Consistency.LINEARIZABLE).names().size();
      if (created != s.ephemerals()) {
        throw new DrillException("the owner reported ready with " + created + " of " + s.ephemerals() + " ephemerals");
      }
      say("round %d: client pid %d on %s owns %d ephemerals (session 0x%x, timeout %d ms); kill -9, watching from %s",
          r, owner.pid(), ownerEndpoints.get(0), created, Long.parseLong(ready.split(" ")[1]), timeoutMs,
          watcherEndpoints.get(0));
      owner.destroyForcibly(); // SIGKILL on Linux: no CloseSession, no goodbye
      long killed = System.nanoTime();
      if (!owner.waitFor(30, TimeUnit.SECONDS)) {
        throw new DrillException("the client process " + owner.pid() + " did not die after kill -9");
      }
      Duration limit = Duration.ofMillis(3 * timeoutMs).plusSeconds(60);
      boolean allGone = deletions.awaitAll(limit);
      int remaining = admin.getChildren(parent, Consistency.LINEARIZABLE).names().size();
      return new Round(r, ownerEndpoints.get(0), watcherEndpoints.get(0), timeoutMs,
          deletions.first() == 0 ? null : FailoverDrill.ms(deletions.first() - killed),
          allGone ? FailoverDrill.ms(deletions.last() - killed) : null, deletions.count(), remaining);
    } catch (IOException e) {
      throw new DrillException("cannot start the client process: " + e.getMessage());
    } finally {
      if (owner != null) {
        owner.destroyForcibly();
        owner.waitFor(30, TimeUnit.SECONDS);
      }
      if (ownerLog != null) {
        deleteQuietly(ownerLog);
      }
    }
  }

  private Process startOwner(List<String> endpoints, String parent, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), EphemeralOwnerMain.class.getName(),
        String.join(",", endpoints), parent, Integer.toString(s.ephemerals()),
        Long.toString(s.sessionTimeout().toMillis()))
        .redirectError(log.toFile())
        .start();
  }

  /** The owner's READY line, or a DrillException with the tail of its log. */
  private static String awaitReady(Process owner, Path log) throws DrillException, InterruptedException {
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        return new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8)).readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String ready;
    try {
      ready = line.get(OWNER_READY_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException | ExecutionException e) {
      ready = null;
    }
    if (ready == null || !ready.matches("READY -?\\d+ \\d+")) {
      owner.destroyForcibly();
      throw new DrillException("the client process did not get ready (" + ready + "); its log ends with:\n"
          + tail(log), true);
    }
    return ready;
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  private void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      progress.println("coord-bench: could not delete " + p + ": " + e.getMessage());
    }
  }

  private void say(String format, Object... args) {
    progress.println("coord-bench: " + String.format(format, args));
    progress.flush();
  }

  /** Counts the deletions of the parent's children as the watcher hears them; notes the first and last. */
  private static final class DeletionCounter implements coord.client.WatchListener {
    private final String parent;
    private final int expected;
    private int count;
    private long first;
    private long last;

    DeletionCounter(String parent, int expected) {
      this.parent = parent;
      this.expected = expected;
    }

    @Override
    public synchronized void onEvents(List<WatchEvent> events) {
      long now = System.nanoTime();
      for (WatchEvent e : events) {
        if (e.getType() == EventType.NODE_DELETED && e.getPath().startsWith(parent + "/")) {
          count++;
          if (first == 0) {
            first = now;
          }
          last = now;
        }
      }
      notifyAll();
    }

    synchronized boolean awaitAll(Duration limit) throws InterruptedException {
      long deadline = System.nanoTime() + limit.toNanos();
      while (count < expected) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return true;
    }

    synchronized int count() {
      return count;
    }

    synchronized long first() {
      return first;
    }

    synchronized long last() {
      return last;
    }
  }
}
