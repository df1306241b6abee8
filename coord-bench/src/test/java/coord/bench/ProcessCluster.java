package coord.bench;

import static org.awaitility.Awaitility.await;

import coord.api.v1.Role;
import coord.api.v1.StatusResponse;
import coord.client.CoordClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Three coord nodes, each a JVM of its own (coord.server.Main from the test class path), laid out as
 * {@code deploy/local/cluster.sh} lays out its data folder: {@code DIR/nodeN/coord.cfg}, {@code data/},
 * {@code node.log} and {@code node.pid}. Unlike the in-JVM TestCluster, a node here can be killed with
 * kill -9 or frozen with SIGSTOP. Every process is killed by {@link #close()}.
 */
final class ProcessCluster implements AutoCloseable {
  private final Path dir;
  private final int nodes;
  private final int[] clientPorts;
  private final int[] raftPorts;
  private final Map<Integer, Process> processes = new LinkedHashMap<>();

  private ProcessCluster(Path dir, int nodes) throws IOException {
    this.dir = dir;
    this.nodes = nodes;
    int[] ports = freePorts(2 * nodes);
    this.clientPorts = new int[nodes + 1];
    this.raftPorts = new int[nodes + 1];
    for (int n = 1; n <= nodes; n++) {
      clientPorts[n] = ports[2 * n - 2];
      raftPorts[n] = ports[2 * n - 1];
    }
  }

  /** Starts the nodes and waits until one leads; kills what it started when that fails. */
  static ProcessCluster start(Path dir, int nodes) throws IOException {
    ProcessCluster c = new ProcessCluster(dir, nodes);
    try {
      for (int n = 1; n <= nodes; n++) {
        c.writeConfig(n);
      }
      for (int n = 1; n <= nodes; n++) {
        c.startNode(n);
      }
      c.awaitAllKnowALeader();
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  String endpoints() {
    List<String> eps = new ArrayList<>();
    for (int n = 1; n <= nodes; n++) {
      eps.add("127.0.0.1:" + clientPorts[n]);
    }
    return String.join(",", eps);
  }

  Path dir() {
    return dir;
  }

  /** Starts every node whose process is not alive (e.g. after a kill -9 by the drill). */
  synchronized void startMissing() throws IOException {
    for (int n = 1; n <= nodes; n++) {
      Process p = processes.get(n);
      if (p == null || !p.isAlive()) {
        startNode(n);
      }
    }
  }

  /** Waits until every node answers and all name the same leader. */
  void awaitAllKnowALeader() {
    try (CoordClient c = CoordClient.builder().endpoints(endpoints()).requestTimeout(Duration.ofSeconds(2)).build()) {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
        List<StatusResponse> all = new ArrayList<>();
        for (String e : endpoints().split(",")) {
          all.add(c.status(e));
        }
        return all.stream().anyMatch(s -> s.getRole() == Role.LEADER)
            && all.stream().map(StatusResponse::getLeaderId).distinct().count() == 1
            && !all.get(0).getLeaderId().isEmpty();
      });
    }
  }

  private void writeConfig(int n) throws IOException {
    Path node = dir.resolve("node" + n);
    Files.createDirectories(node.resolve("data"));
    String servers = java.util.stream.IntStream.rangeClosed(1, nodes)
        .mapToObj(i -> "server." + i + "=127.0.0.1:" + raftPorts[i] + ":" + clientPorts[i])
        .collect(Collectors.joining("\n"));
    Files.writeString(node.resolve("coord.cfg"), "dataDir=" + node.resolve("data") + "\n"
        + "clientPort=" + clientPorts[n] + "\nclientPortAddress=127.0.0.1\n" + servers + "\n", StandardCharsets.UTF_8);
  }

  private synchronized void startNode(int n) throws IOException {
    Path node = dir.resolve("node" + n);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        "coord.server.Main", "--config", node.resolve("coord.cfg").toString(), "--id", Integer.toString(n))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(node.resolve("node.log").toFile()))
        .start();
    processes.put(n, p);
    Files.writeString(node.resolve("node.pid"), p.pid() + "\n", StandardCharsets.UTF_8);
  }

  @Override
  public synchronized void close() {
    for (Process p : processes.values()) {
      p.destroyForcibly(); // SIGKILL ends a SIGSTOPped process too
    }
    for (Process p : processes.values()) {
      try {
        p.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }

  /** Distinct free loopback ports below the ephemeral range, held until all are chosen. */
  private static int[] freePorts(int count) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    Random random = new Random();
    try {
      int[] ports = new int[count];
      for (int i = 0, tries = 0; i < count; tries++) {
        if (tries > 10_000) {
          throw new IOException("no free loopback port found in 20000-32767");
        }
        ServerSocket s = new ServerSocket();
        try {
          s.bind(new InetSocketAddress("127.0.0.1", 20000 + random.nextInt(12768)));
        } catch (IOException taken) {
          s.close();
          continue;
        }
        held.add(s);
        ports[i++] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }
}
