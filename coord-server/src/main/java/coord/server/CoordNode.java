package coord.server;

import coord.api.Errors;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One coord node: its Raft peer plus the client-facing gRPC server (the coord API, admin, the standard
 * health service and server reflection).
 */
public final class CoordNode implements AutoCloseable {
  /** The JDK's property for the common pool's size: read once, when the pool is first used. */
  public static final String COMMON_POOL_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /**
   * On two cores the JDK sizes the common pool at 1, and a pool of 1 starts a new thread for every task.
   * Ratis runs each follower log append through the common pool, so that was a thread per Raft entry
   * (write p50 at 1 outstanding 6.9–7.7 ms before, 4.4–6.5 ms after, in single runs). An operator's own
   * setting wins.
   */
  public static void sizeCommonPool() {
    if (System.getProperty(COMMON_POOL_PARALLELISM) == null) {
      System.setProperty(COMMON_POOL_PARALLELISM,
          String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors() - 1)));
    }
  }

  private static final Logger LOG = LoggerFactory.getLogger(CoordNode.class);
  /** Largest request a client may send: the data limit plus room for the path and headers. */
  private static final int MESSAGE_HEADROOM = 64 * 1024;

  private final NodeConfig config;
  private final RaftNode raft;
  private final java.util.function.LongSupplier wallClock = WallClock.fromSystemProperties();
  private final HealthStatusManager health = new HealthStatusManager();
  private final AdminService admin;
  private Server grpc;
  private SessionTracker sessions;
  private Readiness readiness;

  private CoordNode(NodeConfig config) throws IOException {
    this.config = config;
    this.raft = new RaftNode(config, wallClock);
    this.admin = new AdminService(raft, config);
  }

  /** Starts the node; returns once both servers listen (a leader may not be elected yet). */
  public static CoordNode start(NodeConfig config) throws IOException {
    Failpoint.load();
    CoordNode node = new CoordNode(config);
    try {
      node.startServers();
    } catch (IOException | RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  private void startServers() throws IOException {
    WatchHub watches = new WatchHub(raft.stateMachine());
    raft.stateMachine().setAppliedListener(watches::onApplied);
    Errors.preload();
    raft.start();
    WriteBatcher batcher = new WriteBatcher(raft::submitWrite, config.writeEntriesInFlight(), 1024, 4 * 1024 * 1024);
    sessions = new SessionTracker(raft, config, batcher, wallClock);
    admin.setSessionTracker(sessions);
    grpc = NettyServerBuilder
        .forAddress(new InetSocketAddress(config.clientPortAddress(), config.clientPort()))
        .maxInboundMessageSize(config.maxDataBytes() + MESSAGE_HEADROOM)
        // Every handler only validates, reads the local tree or queues: running them on the event loop
        // saves a thread hand-off (two context switches) per request.
        .directExecutor()
        .addService(TypedDecodeErrors.wrap(new CoordService(raft, batcher, config.maxDataBytes(), sessions, watches)))
        .addService(TypedDecodeErrors.wrap(admin))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .build()
        .start();
    sessions.start();
    readiness = new Readiness(raft, health);
    readiness.start();
    LOG.info("node {} serving clients on {}:{}, raft on {}", config.id(), config.clientPortAddress(),
        grpc.getPort(), config.self().raftAddress());
    if (java.util.concurrent.ForkJoinPool.getCommonPoolParallelism() < 2) {
      LOG.warn("the JDK common pool has parallelism 1, so Ratis starts a thread per follower log append;"
          + " call CoordNode.sizeCommonPool() before anything uses the pool, or start the JVM with -D{}=2",
          COMMON_POOL_PARALLELISM);
    }
  }

  public int clientPort() {
    return grpc.getPort();
  }

  public NodeConfig config() {
    return config;
  }

  /** Elections this node started because its leader's process was gone. */
  long leaderLossElections() {
    return raft.leaderLossElections();
  }

  public coord.api.v1.StatusResponse status() throws IOException {
    return admin.status();
  }

  /** First index still in this node's Raft log (moves up when a snapshot lets the log be purged). */
  public long raftLogStartIndex() throws IOException {
    return raft.division().getRaftLog().getStartIndex();
  }

  /** The replica's state machine, for tests that compare replicas. */
  public coord.statemachine.CoordStateMachine stateMachine() {
    return raft.stateMachine();
  }

  @Override
  public void close() throws IOException {
    if (readiness != null) {
      readiness.close();
    }
    health.enterTerminalState();
    if (sessions != null) {
      sessions.close();
    }
    if (grpc != null) {
      grpc.shutdown();
    }
    try {
      raft.close();
    } finally {
      if (grpc != null) {
        try {
          if (!grpc.awaitTermination(5, TimeUnit.SECONDS)) {
            grpc.shutdownNow();
          }
        } catch (InterruptedException e) {
          grpc.shutdownNow();
          Thread.currentThread().interrupt();
        }
      }
    }
    LOG.info("node {} stopped", config.id());
  }
}
