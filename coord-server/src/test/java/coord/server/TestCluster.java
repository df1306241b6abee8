package coord.server;

import static org.awaitility.Awaitility.await;

import coord.api.v1.Role;
import coord.api.v1.StatusResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * N real coord nodes (Ratis peers + gRPC servers) in this JVM on free loopback ports, each with its own
 * folder under {@code dir}. Nodes are numbered from 1, as in {@code server.N}.
 */
public final class TestCluster implements AutoCloseable {
  private final Path dir;
  private final Map<Integer, NodeConfig.Member> members = new LinkedHashMap<>();
  private final Map<Integer, CoordNode> running = new LinkedHashMap<>();
  private final Properties extra;

  private TestCluster(Path dir, int nodes, Properties extra) throws IOException {
    this.dir = dir;
    this.extra = extra;
    int[] ports = freePorts(2 * nodes);
    for (int i = 1; i <= nodes; i++) {
      members.put(i, new NodeConfig.Member(i, "127.0.0.1", ports[2 * i - 2], ports[2 * i - 1]));
    }
  }

  /** Starts {@code nodes} nodes and waits until a leader is elected. */
  public static TestCluster start(Path dir, int nodes) throws IOException {
    return start(dir, nodes, new Properties());
  }

  /** As {@link #start(Path, int)}, with extra config keys for every node (e.g. snapshotThreshold). */
  public static TestCluster start(Path dir, int nodes, Properties extra) throws IOException {
    TestCluster c = new TestCluster(dir, nodes, extra);
    try {
      for (int i = 1; i <= nodes; i++) {
        c.startNode(i);
      }
      c.awaitLeader();
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  public NodeConfig configOf(int id) {
    Properties p = new Properties();
    p.putAll(extra);
    p.setProperty("dataDir", dir.resolve("node" + id).toString());
    members.values().forEach(m ->
        p.setProperty("server." + m.id(), m.host() + ":" + m.raftPort() + ":" + m.clientPort()));
    return NodeConfig.fromProperties(p, id);
  }

  public synchronized void startNode(int id) throws IOException {
    if (running.containsKey(id)) {
      throw new IllegalStateException("node " + id + " is running");
    }
    running.put(id, CoordNode.start(configOf(id)));
  }

  /** Stops a node (its data stays): a crash as far as the others can tell. */
  public synchronized void stopNode(int id) throws IOException {
    CoordNode node = running.remove(id);
    if (node != null) {
      node.close();
    }
  }

  public synchronized CoordNode node(int id) {
    CoordNode n = running.get(id);
    if (n == null) {
      throw new IllegalStateException("node " + id + " is not running");
    }
    return n;
  }

  public synchronized List<Integer> runningIds() {
    return new ArrayList<>(running.keySet());
  }

  /** Client endpoints of every member, running or not, in id order. */
  public String clientEndpoints() {
    return members.values().stream().map(NodeConfig.Member::clientAddress).collect(Collectors.joining(","));
  }

  /** Every member's client endpoint, node {@code first} first: a client talks to that node first. */
  public List<String> endpointsStartingWith(int first) {
    List<String> endpoints = new ArrayList<>();
    endpoints.add(clientEndpoint(first));
    members.keySet().stream().filter(id -> id != first).forEach(id -> endpoints.add(clientEndpoint(id)));
    return endpoints;
  }

  public String clientEndpoint(int id) {
    return members.get(id).clientAddress();
  }

  /** Waits until some running node is the leader and returns its id. */
  public int awaitLeader() {
    return awaitLeader(Duration.ofSeconds(60));
  }

  /** As {@link #awaitLeader()}, waiting at most {@code atMost}. */
  public int awaitLeader(Duration atMost) {
    int[] leader = {0};
    await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
      for (int id : runningIds()) {
        StatusResponse s = node(id).status();
        if (s.getRole() == Role.LEADER) {
          leader[0] = id;
          return true;
        }
      }
      return false;
    });
    return leader[0];
  }

  /** Waits until every running node has applied the same index and holds the same tree digest. */
  public void awaitConverged() {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
      List<StatusResponse> all = new ArrayList<>();
      for (int id : runningIds()) {
        all.add(node(id).status());
      }
      return all.stream().map(s -> s.getAppliedIndex() + "/" + s.getDigest()).distinct().count() == 1;
    });
  }

  @Override
  public synchronized void close() {
    List<Thread> stops = new ArrayList<>();
    for (CoordNode n : running.values()) {
      Thread t = new Thread(() -> {
        try {
          n.close();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      t.start();
      stops.add(t);
    }
    for (Thread t : stops) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    running.clear();
  }

  /**
   * Distinct free loopback ports below Linux's ephemeral range (so outgoing connections cannot take
   * them before the nodes bind), each held open until all are chosen so none is handed out twice: a
   * clash makes Ratis exit the JVM.
   */
  static int[] freePorts(int count) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    java.util.Random random = new java.util.Random();
    try {
      int[] ports = new int[count];
      for (int i = 0, tries = 0; i < count; tries++) {
        if (tries > 10_000) {
          throw new IOException("no free loopback port found in 20000-32767");
        }
        ServerSocket s = new ServerSocket();
        try {
          s.bind(new java.net.InetSocketAddress("127.0.0.1", 20000 + random.nextInt(12768)));
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
