package coord.server;

import coord.api.v1.CoordGrpc;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the standard health service truthful: {@code ""} is SERVING while the process runs (liveness);
 * {@code coord.v1.Coord} is SERVING only while this node knows a leader, i.e. can serve reads and writes
 * (readiness), so a load balancer or probe stops sending clients to a node cut off from the cluster.
 */
final class Readiness implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

  private final RaftNode raft;
  private final HealthStatusManager health;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "coord-readiness");
    t.setDaemon(true);
    return t;
  });
  private ServingStatus current;

  Readiness(RaftNode raft, HealthStatusManager health) {
    this.raft = raft;
    this.health = health;
  }

  void start() {
    health.setStatus("", ServingStatus.SERVING);
    timer.scheduleWithFixedDelay(this::update, 0, 250, TimeUnit.MILLISECONDS);
  }

  private void update() {
    ServingStatus status;
    try {
      status = raft.division().getInfo().getLeaderId() != null ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
    } catch (Exception e) {
      status = ServingStatus.NOT_SERVING;
    }
    if (status != current) {
      LOG.info("coord service {}", status);
      current = status;
      health.setStatus(CoordGrpc.SERVICE_NAME, status);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
