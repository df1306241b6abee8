package coord.it.cluster;

import coord.api.v1.CreateMode;
import coord.api.v1.ErrorCode;
import coord.api.v1.Role;
import coord.api.v1.StatusResponse;
import coord.client.CoordClient;
import coord.client.CoordException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real {@code coord-server} members, each in its own child JVM, on loopback, in network namespaces or behind
 * link proxies ({@link ClusterNetwork}). Members log to {@code <runDir>/n<id>.log} and keep their data in
 * {@code <runDir>/n<id>/data}. {@link #close()} kills every member, removes the network and deletes the
 * data folders; logs and reports in the run folder stay.
 */
public final class ProcessCluster implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessCluster.class);
  private static final Duration STATUS_TIMEOUT = Duration.ofSeconds(2);
  /** The znode {@link #awaitWritable} writes. */
  public static final String ALIVE_PATH = "/cit-alive";

  private final ClusterSpec spec;
  private final ClusterNetwork network;
  private final List<Integer> ids;
  private final Map<Integer, NodeProcess> members = new TreeMap<>();
  private final FakeClock clock;
  private final CoordClient admin;
  private final String networkNote;

  private ProcessCluster(ClusterSpec spec, ClusterNetwork network, FakeClock clock, String networkNote) {
    this.spec = spec;
    this.network = network;
    this.ids = IntStream.rangeClosed(1, spec.size()).boxed().toList();
    this.clock = clock;
    this.networkNote = networkNote;
    this.admin = CoordClient.builder().endpoints(endpoints())
        .requestTimeout(STATUS_TIMEOUT).attemptTimeout(STATUS_TIMEOUT).build();
  }

  /** Creates the network, starts every member and waits until a leader accepts a write. */
  public static ProcessCluster start(ClusterSpec spec, Duration startTimeout) {
    List<Integer> ids = IntStream.rangeClosed(1, spec.size()).boxed().toList();
    String reason = NamespaceNetwork.unavailableReason();
    ClusterNetwork network;
    String note;
    switch (spec.network()) {
      case NETNS -> {
        if (reason != null) {
          throw new IllegalStateException("network namespaces unavailable: " + reason);
        }
        network = NamespaceNetwork.create(ids);
        note = "network namespaces (asked for)";
      }
      case PROXY -> {
        network = ProxyNetwork.create(ids, spec.runDir());
        note = "link proxies on loopback (asked for)";
      }
      case AUTO -> {
        if (reason == null) {
          network = NamespaceNetwork.create(ids);
          note = "network namespaces";
        } else {
          ClusterNetwork proxies = null;
          String proxyFailure = null;
          try {
            proxies = ProxyNetwork.create(ids, spec.runDir());
          } catch (UncheckedIOException e) {
            proxyFailure = e.getMessage();
          }
          network = proxies != null ? proxies : new LoopbackNetwork(ids);
          note = proxies != null
              ? "link proxies on loopback, because network namespaces are unavailable: " + reason
              : "loopback, because network namespaces are unavailable (" + reason + ") and so are link proxies ("
                  + proxyFailure + ")";
        }
      }
      default -> {
        network = new LoopbackNetwork(ids);
        note = "loopback (asked for)";
      }
    }
    ProcessCluster cluster = null;
    try {
      Files.createDirectories(spec.runDir());
      FakeClock clock = null;
      if (spec.clockMember() > 0) {
        clock = FakeClock.create(spec.runDir().resolve("n" + spec.clockMember() + ".clock"));
      }
      cluster = new ProcessCluster(spec, network, clock, note);
      LOG.info("starting {} members: {}", spec.size(), note);
      for (int id : ids) {
        cluster.startMember(id);
      }
      cluster.awaitWritable(startTimeout);
      return cluster;
    } catch (IOException e) {
      closeQuietly(cluster, network);
      throw new UncheckedIOException("cannot create " + spec.runDir(), e);
    } catch (RuntimeException e) {
      closeQuietly(cluster, network);
      throw e;
    }
  }

  private static void closeQuietly(ProcessCluster cluster, ClusterNetwork network) {
    if (cluster != null) {
      cluster.close();
    } else {
      network.close();
    }
  }

  public ClusterSpec spec() {
    return spec;
  }

  public ClusterNetwork network() {
    return network;
  }

  /** How the members are networked, and why, for the report. */
  public String networkNote() {
    return networkNote;
  }

  public List<Integer> ids() {
    return ids;
  }

  public String clientEndpoint(int id) {
    return network.clientHost(id) + ":" + network.clientPort(id);
  }

  /** Every member's client endpoint, in id order. */
  public List<String> endpoints() {
    return ids.stream().map(this::clientEndpoint).toList();
  }

  /** Client endpoints with member {@code first} first: a client pinned to that member that can fail over. */
  public List<String> endpointsStartingWith(int first) {
    List<String> eps = new ArrayList<>(List.of(clientEndpoint(first)));
    ids.stream().filter(id -> id != first).forEach(id -> eps.add(clientEndpoint(id)));
    return eps;
  }

  /** The member started with a shifted wall clock, if any. */
  public Optional<Integer> clockMember() {
    return clock == null ? Optional.empty() : Optional.of(spec.clockMember());
  }

  /** Sets the clock member's wall-clock offset ({@code +0}, {@code +1h}, ...). */
  public void setClockOffset(String offset) {
    if (clock == null) {
      throw new IllegalStateException("no member runs with a shifted clock");
    }
    clock.setOffset(offset);
  }

  // ---- processes ----

  public synchronized boolean running(int id) {
    NodeProcess p = members.get(id);
    return p != null && p.alive();
  }

  public synchronized boolean paused(int id) {
    NodeProcess p = members.get(id);
    return p != null && p.paused();
  }

  public synchronized long pid(int id) {
    return members.get(id).pid();
  }

  /** kill -9 member {@code id} and waits until it is gone. */
  public synchronized void kill(int id) {
    NodeProcess p = members.get(id);
    if (p != null) {
      p.kill();
      LOG.info("member {} killed", id);
    }
  }

  /** kill -9 every member at once, then waits until all are gone. */
  public synchronized void killAll() {
    members.values().forEach(NodeProcess::sigkill);
    members.values().forEach(NodeProcess::kill);
    LOG.info("all members killed");
  }

  /** Starts member {@code id} again on its data folder; it must not be running. */
  public synchronized void restart(int id) {
    if (running(id)) {
      throw new IllegalStateException("member " + id + " is still running");
    }
    startMember(id);
  }

  /** Starts every member that does not run. */
  public synchronized void startAll() {
    for (int id : ids) {
      if (!running(id)) {
        startMember(id);
      }
    }
  }

  public synchronized void pause(int id) {
    members.get(id).pause();
    LOG.info("member {} paused (SIGSTOP)", id);
  }

  public synchronized void resume(int id) {
    NodeProcess p = members.get(id);
    if (p != null && p.alive()) {
      p.resume();
      LOG.info("member {} resumed (SIGCONT)", id);
    }
  }

  private void startMember(int id) {
    Path dir = spec.runDir().resolve("n" + id);
    try {
      Files.createDirectories(dir.resolve("data"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    Map<String, String> env = new HashMap<>(spec.extraEnv().getOrDefault(id, Map.of()));
    members.put(id, NodeProcess.start(id, network.wrap(id, command(id, dir)), env,
        spec.runDir().resolve("n" + id + ".log")));
  }

  private List<String> command(int id, Path dir) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(spec.jvmArgs());
    cmd.addAll(network.jvmArgs(id));
    if (clock != null && id == spec.clockMember()) {
      cmd.addAll(clock.jvmArgs());
    }
    if (spec.failpoint() != null) {
      cmd.add("-Dcoord.failpoint=" + spec.failpoint());
    }
    cmd.addAll(spec.extraJvmArgs().getOrDefault(id, List.of()));
    cmd.addAll(List.of("-cp", spec.classpath(), "coord.server.Main",
        "--id", Integer.toString(id),
        "--dataDir", dir.resolve("data").toString(),
        "--clientPortAddress", network.clientHost(id),
        "--clientPort", Integer.toString(network.clientPort(id)),
        "--electionTimeoutMinMs", Integer.toString(spec.electionTimeoutMinMs()),
        "--electionTimeoutMaxMs", Integer.toString(spec.electionTimeoutMaxMs())));
    for (int m : ids) {
      cmd.addAll(List.of("--server", m + "=" + network.host(m) + ":" + network.raftPort(m) + ":" + network.clientPort(m)));
    }
    return cmd;
  }

  // ---- status ----

  /** {@code Admin.Status} of every member that answers within two seconds. */
  public Map<Integer, StatusResponse> statuses() {
    Map<Integer, CompletableFuture<StatusResponse>> pending = new LinkedHashMap<>();
    for (int id : ids) {
      pending.put(id, admin.statusAsync(clientEndpoint(id)));
    }
    Map<Integer, StatusResponse> answers = new TreeMap<>();
    pending.forEach((id, f) -> {
      try {
        answers.put(id, f.get(STATUS_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.debug("member {} did not answer Status: {}", id, e.toString());
      }
    });
    return answers;
  }

  /** The member that says it leads, with the highest term among those that do; empty when none answers so. */
  public OptionalInt leader() {
    return statuses().entrySet().stream()
        .filter(e -> e.getValue().getRole() == Role.LEADER)
        .max(Comparator.comparingLong(e -> e.getValue().getTerm()))
        .map(e -> OptionalInt.of(e.getKey())).orElse(OptionalInt.empty());
  }

  /** Waits until some member leads; returns its id. */
  public int awaitLeader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      OptionalInt leader = leader();
      if (leader.isPresent()) {
        return leader.getAsInt();
      }
      pollPause();
    } while (System.nanoTime() < deadline);
    throw new ClusterTimeoutException("no leader within " + timeout.toSeconds() + " s; statuses " + describe(statuses()));
  }

  /** Waits until a write through any member is acknowledged; returns how long that took. */
  public Duration awaitWritable(Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    CoordException last = null;
    try (CoordClient client = CoordClient.builder().endpoints(endpoints())
        .requestTimeout(Duration.ofSeconds(3)).attemptTimeout(Duration.ofSeconds(1)).build()) {
      do {
        try {
          writeAlive(client);
          return Duration.ofNanos(System.nanoTime() - start);
        } catch (CoordException e) {
          last = e;
          pollPause();
        }
      } while (System.nanoTime() < deadline);
    }
    throw new ClusterTimeoutException("no write acknowledged within " + timeout.toSeconds() + " s; last error "
        + last + "; statuses " + describe(statuses()));
  }

  private static void writeAlive(CoordClient client) {
    byte[] data = Long.toString(System.nanoTime()).getBytes(StandardCharsets.UTF_8);
    try {
      client.setData(ALIVE_PATH, data, -1);
    } catch (CoordException e) {
      if (e.code() != ErrorCode.NO_NODE) {
        throw e;
      }
      try {
        client.create(ALIVE_PATH, data, CreateMode.PERSISTENT);
      } catch (CoordException exists) {
        if (exists.code() != ErrorCode.NODE_EXISTS) {
          throw exists;
        }
      }
    }
  }

  /** Every member's tree digest at one applied index, once they agree. */
  public record Digests(boolean same, Map<Integer, String> digests, Map<Integer, Long> appliedIndex) {}

  /**
   * Waits until every member answers with the same applied index and tree digest; returns the last answers
   * either way (so the report can show the difference).
   */
  public Digests awaitSameDigest(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Digests last;
    do {
      Map<Integer, StatusResponse> st = statuses();
      Map<Integer, String> digests = new TreeMap<>();
      Map<Integer, Long> applied = new TreeMap<>();
      st.forEach((id, s) -> {
        digests.put(id, s.getDigest());
        applied.put(id, s.getAppliedIndex());
      });
      boolean same = st.size() == ids.size()
          && digests.values().stream().distinct().count() == 1
          && applied.values().stream().distinct().count() == 1
          && !digests.values().iterator().next().isEmpty();
      last = new Digests(same, digests, applied);
      if (same) {
        return last;
      }
      pollPause();
    } while (System.nanoTime() < deadline);
    return last;
  }

  private static String describe(Map<Integer, StatusResponse> st) {
    StringBuilder sb = new StringBuilder("{");
    st.forEach((id, s) -> sb.append(id).append('=').append(s.getRole()).append("/term ").append(s.getTerm())
        .append("/leader ").append(s.getLeaderId()).append("/applied ").append(s.getAppliedIndex()).append("; "));
    return sb.append('}').toString();
  }

  private static void pollPause() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterTimeoutException("interrupted while waiting for the cluster");
    }
  }

  /** A bounded wait for the cluster ended without the awaited state. */
  public static final class ClusterTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterTimeoutException(String message) {
      super(message);
    }
  }

  // ---- cleanup ----

  /** Kills every member (paused ones too), removes the network and the data folders. Idempotent. */
  @Override
  public synchronized void close() {
    members.values().forEach(NodeProcess::sigkill);
    for (NodeProcess p : members.values()) {
      try {
        p.kill();
      } catch (RuntimeException e) {
        LOG.error("could not kill member pid {}", p.pid(), e);
      }
    }
    admin.close();
    network.close();
    for (int id : ids) {
      try {
        deleteTree(spec.runDir().resolve("n" + id));
      } catch (UncheckedIOException e) {
        LOG.error("could not delete member {}'s data", id, e);
      }
    }
  }

  /**
   * What {@link #close()} should have removed and did not: member JVMs still alive, namespaces and links
   * still present, data folders still there. Empty after a clean close.
   */
  public synchronized List<String> leftovers() {
    List<String> left = new ArrayList<>();
    members.forEach((id, p) -> {
      if (p.alive()) {
        left.add("member " + id + " pid " + p.pid() + " alive");
      }
    });
    if (network instanceof NamespaceNetwork ns) {
      ns.leftovers().forEach(n -> left.add("network " + n));
    }
    if (network instanceof ProxyNetwork px) {
      px.leftovers().forEach(n -> left.add("network " + n));
    }
    for (int id : ids) {
      if (Files.exists(spec.runDir().resolve("n" + id))) {
        left.add("data folder n" + id);
      }
    }
    return left;
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
