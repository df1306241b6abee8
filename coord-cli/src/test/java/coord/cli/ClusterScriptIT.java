package coord.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product as a user meets it: {@code deploy/local/cluster.sh} starts three server processes on
 * free loopback ports, {@code bin/coord} runs one command per process, and the leader is killed
 * with {@code kill -9} and restarted. Needs coord-server's and coord-cli's jars and {@code
 * target/lib/} (the {@code package} phase makes them before failsafe runs this). Every wait is
 * bounded; the nodes are stopped in {@link #stopCluster()} whatever happened.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterScriptIT {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration CLUSTER_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;

  private static Path root;
  private static Path dataDir;
  private static int basePort;
  private static Thread reaper;

  /** The node killed in {@link #leaderKillKeepsTheClusterServing()}, restarted later. */
  private static int killedNode;

  @RegisterExtension
  static final TestWatcher NODE_LOGS_ON_FAILURE =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          printNodeLogs();
        }
      };

  @BeforeAll
  static void startCluster() throws IOException {
    root = repoRoot();
    dataDir = tmp.resolve("cluster");
    basePort = freeBasePort();
    reaper = new Thread(ClusterScriptIT::killNodes, "cluster-script-it-reaper");
    Runtime.getRuntime().addShutdownHook(reaper);

    Run start = cluster(CLUSTER_TIMEOUT, "start");

    assertThat(start.exit).as(start.describe()).isZero();
    assertThat(start.out).as(start.describe()).contains("COORD_ENDPOINTS=" + endpoints());
    assertThat(start.out).as(start.describe()).contains("LEADER");
    for (int n = 1; n <= 3; n++) {
      assertThat(dataDir.resolve("node" + n).resolve("coord.cfg")).exists();
      assertThat(dataDir.resolve("node" + n).resolve("node.pid")).exists();
    }
  }

  @AfterAll
  static void stopCluster() {
    if (dataDir == null) {
      return;
    }
    List<Long> pids = nodePids();
    Run stop = cluster(CLUSTER_TIMEOUT, "stop");
    try {
      assertThat(stop.exit).as(stop.describe()).isZero();
      for (int n = 1; n <= 3; n++) {
        assertThat(dataDir.resolve("node" + n).resolve("node.pid")).doesNotExist();
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(pids)
                      .as("node pids alive after stop")
                      .noneMatch(ClusterScriptIT::isNode));
    } finally {
      killNodes();
      Runtime.getRuntime().removeShutdownHook(reaper);
    }
  }

  @Test
  @Order(1)
  void createGetSetListDelete() throws IOException {
    Run create = coord("create", "/it", "hello");
    assertThat(create.exit).as(create.describe()).isZero();
    assertThat(create.out.strip()).as(create.describe()).isEqualTo("Created /it");

    Run get = coord("get", "/it");
    assertThat(get.exit).as(get.describe()).isZero();
    assertThat(get.out.strip()).as(get.describe()).isEqualTo("hello");
    assertThat(get.err).as(get.describe()).isEmpty();

    Run set = coord("set", "/it", "world");
    assertThat(set.exit).as(set.describe()).isZero();

    Run getStat = coord("get", "-s", "/it");
    assertThat(getStat.exit).as(getStat.describe()).isZero();
    assertThat(getStat.out).as(getStat.describe()).startsWith("world").contains("dataVersion = 1");

    Run versioned = coord("set", "-v", "1", "/it", "again");
    assertThat(versioned.exit).as(versioned.describe()).isZero();

    assertThat(coord("create", "/it/a", "1").exit).isZero();
    assertThat(coord("create", "/it/b", "2").exit).isZero();
    Run ls = coord("ls", "/it");
    assertThat(ls.exit).as(ls.describe()).isZero();
    assertThat(ls.out.strip()).as(ls.describe()).isIn("[a, b]", "[b, a]");

    Run lsJson = coord("-o", "json", "ls", "/it");
    assertThat(lsJson.exit).as(lsJson.describe()).isZero();
    JsonNode listed = JSON.readTree(lsJson.out);
    List<String> children = new ArrayList<>();
    listed.path("children").forEach(child -> children.add(child.asText()));
    assertThat(children).as(lsJson.describe()).containsExactlyInAnyOrder("a", "b");

    Run lsRecursive = coord("ls", "-R", "/it");
    assertThat(lsRecursive.exit).as(lsRecursive.describe()).isZero();
    assertThat(lsRecursive.out.strip().split("\n")).containsExactly("/it", "/it/a", "/it/b");

    Run delete = coord("delete", "/it/b");
    assertThat(delete.exit).as(delete.describe()).isZero();
    assertThat(coord("exists", "/it/b").exit).isEqualTo(1);
    assertThat(coord("exists", "/it/a").exit).isZero();
  }

  @Test
  @Order(2)
  void errorsHaveExitCodesAndMessages() {
    Run noParent = coord("create", "/missing/child", "x");
    assertThat(noParent.exit).as(noParent.describe()).isEqualTo(1);
    assertThat(noParent.err).as(noParent.describe()).contains("Node does not exist");
    assertThat(noParent.out).as(noParent.describe()).isEmpty();

    Run getMissing = coord("get", "/missing");
    assertThat(getMissing.exit).as(getMissing.describe()).isEqualTo(1);
    assertThat(getMissing.err).as(getMissing.describe()).contains("Node does not exist");

    assertThat(coord("create", "/it/v", "0").exit).isZero();
    Run badVersion = coord("set", "-v", "7", "/it/v", "x");
    assertThat(badVersion.exit).as(badVersion.describe()).isEqualTo(3);
    assertThat(badVersion.err).as(badVersion.describe()).isNotBlank();

    Run exists = coord("create", "/it/v", "again");
    assertThat(exists.exit).as(exists.describe()).isEqualTo(3);

    Run notEmpty = coord("delete", "/it");
    assertThat(notEmpty.exit).as(notEmpty.describe()).isEqualTo(3);

    Run invalid = coord("get", "no-leading-slash");
    assertThat(invalid.exit).as(invalid.describe()).isEqualTo(4);
    assertThat(invalid.err).as(invalid.describe()).contains("no-leading-slash");

    Run usage = coord("no-such-verb");
    assertThat(usage.exit).as(usage.describe()).isEqualTo(2);
  }

  @Test
  @Order(3)
  void leaderKillKeepsTheClusterServing() {
    int leader = leaderNode();

    Run kill = cluster(COMMAND_TIMEOUT, "kill", String.valueOf(leader));
    assertThat(kill.exit).as(kill.describe()).isZero();
    killedNode = leader;

    // A write may meet the election; retrying an unconditional set is safe.
    await()
        .atMost(CONVERGE_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              Run set = coord("set", "/it/a", "after-kill");
              assertThat(set.exit).as(set.describe()).isZero();
            });
    Run get = coord("get", "/it/a");
    assertThat(get.exit).as(get.describe()).isZero();
    assertThat(get.out.strip()).isEqualTo("after-kill");

    Run status = coord("cluster", "status");
    assertThat(status.exit).as(status.describe()).isZero();
    assertThat(status.out).as(status.describe()).contains("DOWN").contains("LEADER");
  }

  @Test
  @Order(4)
  void restartedNodeCatchesUp() {
    assertThat(killedNode).as("a node was killed by the previous test").isBetween(1, 3);
    Run restart = cluster(CLUSTER_TIMEOUT, "restart", String.valueOf(killedNode));
    assertThat(restart.exit).as(restart.describe()).isZero();

    Run write = coord("create", "/it/after-restart", "z");
    assertThat(write.exit).as(write.describe()).isZero();

    Run getThere =
        coord("--endpoints", "127.0.0.1:" + (basePort + killedNode), "get", "/it/after-restart");
    assertThat(getThere.exit).as(getThere.describe()).isZero();
    assertThat(getThere.out.strip()).isEqualTo("z");

    await()
        .atMost(CONVERGE_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              List<JsonNode> nodes = statusJson();
              assertThat(nodes).hasSize(3);
              assertThat(nodes).noneMatch(n -> "DOWN".equals(n.path("role").asText()));
              Set<String> applied = new HashSet<>();
              Set<String> digests = new HashSet<>();
              for (JsonNode n : nodes) {
                applied.add(n.path("appliedIndex").asText());
                digests.add(n.path("digest").asText());
              }
              assertThat(applied).as("applied indexes " + nodes).hasSize(1);
              assertThat(digests).as("digests " + nodes).hasSize(1).doesNotContain("");
            });
  }

  /**
   * kill -9 at any moment: nodes (the leader among them) are killed while a client writes without pause
   * and restarted; no acknowledged write is lost, none is applied twice, and all nodes converge.
   */
  @Test
  @Order(5)
  void killNineDuringWritesLosesNothingAndConverges() throws Exception {
    long seed = System.nanoTime();
    java.util.Random rnd = new java.util.Random(seed);
    try (coord.client.CoordClient c = coord.client.CoordClient.builder().endpoints(endpoints())
        .requestTimeout(Duration.ofSeconds(30)).build()) {
      c.create("/load", new byte[0], coord.api.v1.CreateMode.PERSISTENT);
      java.util.concurrent.ConcurrentLinkedQueue<String> acked = new java.util.concurrent.ConcurrentLinkedQueue<>();
      java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicReference<String> lastFailure = new java.util.concurrent.atomic.AtomicReference<>("none");
      java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
      // Writes until the rounds are over; the count and time bounds only keep a runaway loop finite and
      // lie well beyond what the rounds need (a fixed small budget ran out before the last round).
      long writerDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
      Thread writer = new Thread(() -> {
        for (int i = 0; i < 1_000_000 && !stop.get() && System.nanoTime() < writerDeadline; i++) {
          try {
            // a unique payload per call: a write applied twice would show as two nodes holding it
            acked.add(c.create("/load/w-", ("p" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                coord.api.v1.CreateMode.PERSISTENT_SEQUENTIAL).path());
          } catch (RuntimeException e) {
            // not acknowledged: it may or may not have been applied; kept to explain a stall
            failures.incrementAndGet();
            lastFailure.set(java.time.Instant.now() + " " + e);
          }
        }
      }, "it-writer");
      writer.start();
      try {
        for (int round = 0; round < 3; round++) {
          int before = acked.size();
          int r = round;
          await().atMost(CONVERGE_TIMEOUT)
              .alias("round " + r + ": 30 more writes after " + before)
              .untilAsserted(() -> assertThat(acked.size())
                  .as(() -> String.format("seed %d, round %d: writer %s, %d failed writes, last %s; members:%n%s",
                      seed, r, writer.isAlive() ? "running" : "finished", failures.get(), lastFailure.get(),
                      statusText()))
                  .isGreaterThanOrEqualTo(before + 30));
          int victim = round == 1 ? leaderNode() : 1 + rnd.nextInt(3);
          Run kill = cluster(COMMAND_TIMEOUT, "kill", String.valueOf(victim));
          assertThat(kill.exit).as("seed " + seed + ": " + kill.describe()).isZero();
          int during = acked.size();
          await().atMost(CONVERGE_TIMEOUT)
              .alias("round " + r + ": 30 more writes with node " + victim + " down")
              .untilAsserted(() -> assertThat(acked.size())
                  .as(() -> String.format("seed %d, round %d, node %d down: writer %s, %d failed writes, "
                      + "last %s; members:%n%s", seed, r, victim, writer.isAlive() ? "running" : "finished",
                      failures.get(), lastFailure.get(), statusText()))
                  .isGreaterThanOrEqualTo(during + 30));
          Run restart = cluster(CLUSTER_TIMEOUT, "restart", String.valueOf(victim));
          assertThat(restart.exit).as("seed " + seed + ": " + restart.describe()).isZero();
        }
      } finally {
        stop.set(true);
        writer.join(120_000);
      }
      List<String> present = c.getChildren("/load").names();
      assertThat(acked).as("seed " + seed).allSatisfy(p ->
          assertThat(present).contains(p.substring("/load/".length())));
      Set<String> payloads = new HashSet<>();
      for (String name : present) {
        String payload = new String(c.getData("/load/" + name).data(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(payloads.add(payload)).as("seed " + seed + ": payload " + payload + " applied twice").isTrue();
      }
    }
    await()
        .atMost(CONVERGE_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              List<JsonNode> nodes = statusJson();
              Set<String> digests = new HashSet<>();
              for (JsonNode n : nodes) {
                digests.add(n.path("appliedIndex").asText() + "/" + n.path("digest").asText());
              }
              assertThat(digests).as("seed " + seed + ": " + nodes).hasSize(1);
            });
  }

  /**
   * Issue 3's user story, with processes: a recursive watcher sees an ephemeral node appear and, after
   * its owning client is killed with kill -9, vanish; then the node the watcher is attached to is killed
   * and the watcher, resuming elsewhere, still prints every later change, once, in order.
   */
  @Test
  @Order(6)
  void watcherSeesAnEphemeralOwnersDeathAndSurvivesItsOwnNodesDeath() throws Exception {
    Run app = coord("-o", "json", "create", "/app");
    assertThat(app.exit).as(app.describe()).isZero();
    long appZxid = JSON.readTree(app.out).path("stat").path("czxid").asLong();
    int leader = leaderNode();
    int watchNode = leader == 1 ? 2 : 1;
    String watchFirst = Stream.concat(Stream.of(watchNode), Stream.of(1, 2, 3).filter(n -> n != watchNode))
        .map(n -> "127.0.0.1:" + (basePort + n)).collect(Collectors.joining(","));
    Path watchOut = tmp.resolve("watch.out");
    Process watcher = start(watchOut, "--endpoints", watchFirst, "watch", "--recursive",
        "--from-zxid", String.valueOf(appZxid), "--count", "7", "--wait", "150", "/app");
    Process holder = start(tmp.resolve("hold.out"), "create", "-e", "--hold", "--session-timeout", "4",
        "/app/me", "here");
    try {
      await().atMost(CONVERGE_TIMEOUT).pollInterval(Duration.ofMillis(500))
          .until(() -> coord("exists", "/app/me").exit == 0);
      holder.destroyForcibly(); // kill -9: the session is left to expire
      assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
          .until(() -> coord("exists", "/app/me").exit == 1);

      Run kill = cluster(COMMAND_TIMEOUT, "kill", String.valueOf(watchNode));
      assertThat(kill.exit).as(kill.describe()).isZero();
      for (int i = 0; i < 5; i++) {
        Run create = coord("create", "/app/after-" + i);
        assertThat(create.exit).as(create.describe()).isZero();
      }
      assertThat(watcher.waitFor(150, TimeUnit.SECONDS)).as("watcher finished").isTrue();
      List<String> lines = Files.readAllLines(watchOut).stream()
          .map(l -> l.replaceAll(" zxid=0x[0-9a-f]+$", "")).toList();
      assertThat(lines).as("watch output (exit %d)", watcher.exitValue()).containsExactly(
          "NodeCreated /app/me", "NodeDeleted /app/me",
          "NodeCreated /app/after-0", "NodeCreated /app/after-1", "NodeCreated /app/after-2",
          "NodeCreated /app/after-3", "NodeCreated /app/after-4");
      assertThat(watcher.exitValue()).isZero();
    } finally {
      holder.destroyForcibly();
      watcher.destroyForcibly();
      Run restart = cluster(CLUSTER_TIMEOUT, "restart", String.valueOf(watchNode));
      assertThat(restart.exit).as(restart.describe()).isZero();
    }
  }

  /** Starts {@code bin/coord args} in the background, stdout to {@code out}, stderr beside it. */
  private static Process start(Path out, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(root.resolve("bin/coord").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(root.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectOutput(out.toFile())
        .redirectError(out.resolveSibling(out.getFileName() + ".err").toFile());
    pb.environment().remove("JAVA_OPTS");
    pb.environment().put("COORD_ENDPOINTS", endpoints());
    return pb.start();
  }

  // ---- cluster helpers

  private static String endpoints() {
    return Stream.of(1, 2, 3)
        .map(n -> "127.0.0.1:" + (basePort + n))
        .collect(Collectors.joining(","));
  }

  /** One JSON object per endpoint, from {@code coord -o json cluster status}. */
  /** What {@code coord cluster status} prints now, to explain a failure. */
  private static String statusText() {
    Run status = coord("cluster", "status");
    return status.out + status.err;
  }

  private static List<JsonNode> statusJson() throws IOException {
    Run status = coord("-o", "json", "cluster", "status");
    assertThat(status.exit).as(status.describe()).isZero();
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : status.out.split("\n")) {
      if (!line.isBlank()) {
        nodes.add(JSON.readTree(line));
      }
    }
    return nodes;
  }

  /** The node number (1..3) of the current leader, found from the client port of its endpoint. */
  private static int leaderNode() {
    List<JsonNode> leaders = new ArrayList<>();
    await()
        .atMost(CONVERGE_TIMEOUT)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              leaders.clear();
              for (JsonNode n : statusJson()) {
                if ("LEADER".equals(n.path("role").asText())) {
                  leaders.add(n);
                }
              }
              assertThat(leaders).as("nodes that call themselves LEADER").hasSize(1);
            });
    String endpoint = leaders.get(0).path("endpoint").asText();
    int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
    return port - basePort;
  }

  private static List<Long> nodePids() {
    List<Long> pids = new ArrayList<>();
    for (int n = 1; n <= 3; n++) {
      Path pidFile = dataDir.resolve("node" + n).resolve("node.pid");
      try {
        pids.add(Long.parseLong(Files.readString(pidFile).strip()));
      } catch (IOException | NumberFormatException e) {
        // not running, or never started
      }
    }
    return pids;
  }

  /** A live (not zombie) coord server process: what cluster.sh started. */
  private static boolean isNode(long pid) {
    Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    return handle
        .flatMap(h -> h.info().commandLine())
        .map(cmd -> cmd.contains("coord.server.Main"))
        .orElse(false);
  }

  /** Last resort when stop failed, or the JVM is going down mid-test: no node may outlive us. */
  private static void killNodes() {
    if (dataDir == null) {
      return;
    }
    for (long pid : nodePids()) {
      if (isNode(pid)) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private static void printNodeLogs() {
    if (dataDir == null) {
      return;
    }
    for (int n = 1; n <= 3; n++) {
      Path log = dataDir.resolve("node" + n).resolve("node.log");
      try {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        System.out.println("----- " + log + " (last 80 lines)");
        lines.subList(Math.max(0, lines.size() - 80), lines.size()).forEach(System.out::println);
      } catch (IOException e) {
        System.out.println("----- " + log + ": " + e);
      }
    }
  }

  // ---- processes

  private static Run cluster(Duration timeout, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(root.resolve("deploy/local/cluster.sh").toString());
    cmd.addAll(List.of(args));
    return run(timeout, cmd);
  }

  private static Run coord(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(root.resolve("bin/coord").toString());
    cmd.addAll(List.of(args));
    return run(COMMAND_TIMEOUT, cmd);
  }

  private static Run run(Duration timeout, List<String> cmd) {
    try {
      Path runs = Files.createDirectories(tmp.resolve("runs"));
      Path out = Files.createTempFile(runs, "out", ".txt");
      Path err = Files.createTempFile(runs, "err", ".txt");
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(root.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      Map<String, String> env = pb.environment();
      env.remove("JAVA_OPTS");
      env.remove("COORD_NODE_JAVA_OPTS");
      env.put("COORD_LOCAL_DIR", dataDir.toString());
      env.put("COORD_BASE_PORT", String.valueOf(basePort));
      env.put("COORD_ENDPOINTS", endpoints());
      env.put("COORD_START_TIMEOUT", "120");
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        fail(
            "%s did not finish within %s%n--- stdout%n%s--- stderr%n%s",
            cmd, timeout, Files.readString(out), Files.readString(err));
      }
      return new Run(cmd, p.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + cmd, e);
    }
  }

  private record Run(List<String> cmd, int exit, String out, String err) {
    String describe() {
      return String.format(
          "%s exited %d%n--- stdout%n%s--- stderr%n%s", String.join(" ", cmd), exit, out, err);
    }
  }

  // ---- setup

  private static Path repoRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isExecutable(p.resolve("deploy/local/cluster.sh"))) {
        return p;
      }
    }
    throw new IllegalStateException(
        "no deploy/local/cluster.sh above " + Path.of("").toAbsolutePath());
  }

  /**
   * A base port B with B+1..B+3 (client) and B+11..B+13 (Raft) free on loopback. B is drawn below
   * 32768, where Linux starts handing out ephemeral ports, so an outgoing connection does not take
   * one of ours between this check and the nodes' start.
   */
  private static int freeBasePort() throws IOException {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20000, 32700);
      boolean free = true;
      for (int offset : new int[] {1, 2, 3, 11, 12, 13}) {
        try (ServerSocket s = new ServerSocket()) {
          s.setReuseAddress(false);
          s.bind(new InetSocketAddress(loopback, base + offset));
        } catch (IOException e) {
          free = false;
          break;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no free base port found in 100 tries");
  }
}
