package coord.server;

import coord.api.v1.AdminGrpc;
import coord.api.v1.TouchSessionsRequest;
import coord.statemachine.CoordStateMachine;
import coord.statemachine.EphemeralType;
import coord.statemachine.NodeRecord;
import coord.statemachine.proto.CloseSession;
import coord.statemachine.proto.Op;
import coord.statemachine.proto.ReapNode;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.ratis.protocol.RaftPeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session liveness and leader-side housekeeping. Every node records which sessions it heard from (their
 * KeepAlive streams may be on any node) and reports them to the leader each tick; the leader alone
 * decides that a session expired and proposes its CloseSession entry, and proposes the deletion of due
 * container and TTL nodes. Clocks are read here, never in apply. A node that becomes leader gives every
 * session a fresh full timeout before it may expire it.
 */
final class SessionTracker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionTracker.class);

  private final RaftNode raft;
  private final NodeConfig config;
  private final WriteBatcher batcher;
  private final ScheduledExecutorService timer;
  private final long tickMs;
  /** TTLs count wall time, as the mtime they are measured from does. */
  private final LongSupplier wallClock;

  /** Sessions heard on this node since its last report to the leader. */
  private final Set<Long> heardSinceReport = ConcurrentHashMap.newKeySet();
  /** Leader only: when each open session was last heard of, by System.nanoTime. */
  private final Map<Long, Long> lastHeard = new ConcurrentHashMap<>();
  private final Set<Long> expiring = ConcurrentHashMap.newKeySet();
  private final Set<String> reaping = ConcurrentHashMap.newKeySet();
  private final Map<RaftPeerId, ManagedChannel> peers = new HashMap<>();
  private boolean wasLeader;
  private long ticks;

  SessionTracker(RaftNode raft, NodeConfig config, WriteBatcher batcher, LongSupplier wallClock) {
    this.raft = raft;
    this.wallClock = wallClock;
    this.config = config;
    this.batcher = batcher;
    // a tick well inside the shortest session timeout, so expiry lands within timeout + one tick
    this.tickMs = Math.max(20, Math.min(config.tickTime() / 2, config.minSessionTimeoutMs() / 4));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "coord-session-tracker");
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    timer.scheduleWithFixedDelay(this::tickSafely, tickMs, tickMs, TimeUnit.MILLISECONDS);
  }

  /** A client's keep-alive for {@code sessionId} reached this node. */
  void heard(long sessionId) {
    heardSinceReport.add(sessionId);
    if (wasLeader) {
      lastHeard.put(sessionId, System.nanoTime());
    }
  }

  /** Another node reports sessions it heard from; returns whether this node is the leader. */
  boolean heardElsewhere(List<Long> sessionIds) {
    if (!wasLeader) {
      return false;
    }
    long now = System.nanoTime();
    for (long id : sessionIds) {
      lastHeard.put(id, now);
    }
    return true;
  }

  private void tickSafely() {
    try {
      tick();
    } catch (Exception e) {
      LOG.warn("session tracker tick failed", e);
    }
  }

  private synchronized void tick() throws IOException {
    boolean leader = raft.division().getInfo().isLeaderReady();
    if (!leader) {
      wasLeader = false;
      lastHeard.clear();
      reportToLeader();
      return;
    }
    if (!wasLeader) {
      // a new leader cannot know when sessions were last heard of: everyone starts afresh
      lastHeard.clear();
      wasLeader = true;
      LOG.info("leading: tracking sessions with a fresh timeout each");
    }
    heardSinceReport.clear();
    expireSilentSessions();
    if (++ticks % Math.max(1, 1000 / tickMs) == 0) {
      reapDueNodes();
    }
  }

  private void expireSilentSessions() {
    CoordStateMachine sm = raft.stateMachine();
    Map<Long, Long> open = sm.withTree(t -> t.sessions());
    long now = System.nanoTime();
    lastHeard.keySet().retainAll(open.keySet());
    expiring.retainAll(open.keySet());
    for (Map.Entry<Long, Long> s : open.entrySet()) {
      Long last = lastHeard.putIfAbsent(s.getKey(), now);
      if (last == null || now - last <= TimeUnit.MILLISECONDS.toNanos(s.getValue())) {
        continue;
      }
      long id = s.getKey();
      if (expiring.add(id)) {
        LOG.info("session 0x{} silent for more than {} ms: expiring it", Long.toHexString(id), s.getValue());
        Op close = Op.newBuilder().setCloseSession(CloseSession.newBuilder().setSessionId(id).setExpired(true))
            .build();
        batcher.submit(close).whenComplete((r, err) -> {
          if (err != null) {
            expiring.remove(id); // retried next tick if still leader
          }
        });
      }
    }
  }

  /** Containers that lost their last child, TTL nodes unchanged for their TTL and childless. */
  private void reapDueNodes() {
    long now = wallClock.getAsLong();
    List<ReapNode> due = raft.stateMachine().withTree(tree -> {
      List<ReapNode> found = new ArrayList<>();
      for (String path : tree.reapable()) {
        NodeRecord n = tree.get(path);
        if (n == null || n.numChildren() > 0) {
          continue;
        }
        boolean containerDue = EphemeralType.isContainer(n.ephemeralOwner()) && n.cversion() > 0;
        boolean ttlDue = EphemeralType.isTtl(n.ephemeralOwner())
            && now - n.mtime() > EphemeralType.ttlOf(n.ephemeralOwner());
        if (containerDue || ttlDue) {
          found.add(ReapNode.newBuilder().setPath(path).setMzxid(n.mzxid()).setCversion(n.cversion()).build());
        }
      }
      return found;
    });
    for (ReapNode r : due) {
      if (reaping.add(r.getPath())) {
        batcher.submit(Op.newBuilder().setReapNode(r).build())
            .whenComplete((res, err) -> reaping.remove(r.getPath()));
      }
    }
  }

  private void reportToLeader() throws IOException {
    if (heardSinceReport.isEmpty()) {
      return;
    }
    RaftPeerId leader = raft.division().getInfo().getLeaderId();
    if (leader == null) {
      return;
    }
    NodeConfig.Member member = config.servers().get(Integer.parseInt(leader.toString()));
    List<Long> ids = new ArrayList<>(heardSinceReport);
    heardSinceReport.removeAll(ids);
    ManagedChannel ch = peers.computeIfAbsent(leader, id ->
        NettyChannelBuilder.forTarget(member.clientAddress()).usePlaintext().build());
    try {
      AdminGrpc.newBlockingStub(ch).withDeadlineAfter(Math.max(tickMs, 200), TimeUnit.MILLISECONDS)
          .touchSessions(TouchSessionsRequest.newBuilder().addAllSessionIds(ids).build());
    } catch (RuntimeException e) {
      heardSinceReport.addAll(ids); // try again next tick
      LOG.debug("could not report sessions to leader {}: {}", leader, e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    synchronized (this) {
      peers.values().forEach(ManagedChannel::shutdownNow);
      peers.clear();
    }
  }
}
