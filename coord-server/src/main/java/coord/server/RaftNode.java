package coord.server;

import coord.statemachine.CoordStateMachine;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.RaftServerProtocol;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.thirdparty.io.grpc.ServerInterceptor;
import org.apache.ratis.util.ProtoUtils;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Ratis side of a node: one Raft peer of the cluster's group, and a client to submit through. */
final class RaftNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftNode.class);
  /** Every coord cluster is one Raft group; its id is fixed so that members agree without coordination. */
  static final RaftGroupId GROUP_ID =
      RaftGroupId.valueOf(UUID.nameUUIDFromBytes("coord".getBytes(StandardCharsets.UTF_8)));

  private final NodeConfig config;
  private final RaftGroup group;
  private final CoordStateMachine stateMachine;
  private final RaftServer server;
  /** Identifies requests this node submits to its own Raft server; call ids keep them apart. */
  private final ClientId localClientId = ClientId.randomId();
  private final AtomicLong localCallIds = new AtomicLong();
  /** Runs what follows a local server's reply, off the server's threads (see submitLocally). */
  private final ExecutorService replyExecutor = Executors.newFixedThreadPool(2, daemons("coord-raft-replies"));
  /** Ends calls through a Raft client that outlive {@link #forwardTimeoutMs}. */
  private final ScheduledExecutorService deadlines = newDeadlineTimer();
  /**
   * How long a call through a Raft client may take. Its retries ride through an election, but while a
   * write waits there it holds a write batcher slot, and every later write of this member waits behind
   * it; during leadership churn a Raft client can keep retrying for minutes.
   */
  private final long forwardTimeoutMs;
  /** Raft clients by the leader they start at; UNKNOWN_LEADER's finds one itself. */
  private final Map<RaftPeerId, RaftClient> clients = new ConcurrentHashMap<>();
  private static final RaftPeerId UNKNOWN_LEADER = RaftPeerId.valueOf("unknown-leader");
  /** Writes sent through a Raft client and not answered yet, by the leader they were sent to. */
  private final Map<RaftPeerId, Set<CompletableFuture<RaftClientReply>>> sentToLeader = new ConcurrentHashMap<>();
  /** Completed with the next leader this member learns of; replaced at each announcement. */
  private volatile CompletableFuture<RaftPeerId> leaderAnnouncement = new CompletableFuture<>();
  /** How long a write waits for a leader to be known before a Raft client goes looking for one. */
  private static final long LEADER_WAIT_MS = 3000;
  /**
   * Announces leader changes and fails the writes a former leader holds. Not the JDK common pool: Ratis
   * runs follower log appends there, and with two threads on two cores a failover's work waited up to
   * 0.9 s behind them.
   */
  private final ExecutorService leaderChanges = Executors.newSingleThreadExecutor(daemons("coord-leader-change"));
  /** Closes retired Raft clients: a close waits up to 3 s for a dead peer's connection. */
  private final ExecutorService clientCloser = Executors.newSingleThreadExecutor(daemons("coord-raft-client-closer"));
  /** Runs the leader-loss probes: a blocking connect each, never on a request's path. */
  private final ScheduledExecutorService leaderLossTimer =
      Executors.newSingleThreadScheduledExecutor(daemons("coord-leader-loss"));
  private final LeaderLossElection leaderLoss;

  RaftNode(NodeConfig config, java.util.function.LongSupplier wallClock) throws IOException {
    this.config = config;
    this.forwardTimeoutMs = Math.max(3000, 5L * config.electionTimeoutMaxMs());
    List<RaftPeer> peers = new ArrayList<>();
    for (NodeConfig.Member m : config.servers().values()) {
      peers.add(RaftPeer.newBuilder()
          .setId(peerId(m.id()))
          .setAddress(m.raftAddress())
          .build());
    }
    this.group = RaftGroup.valueOf(GROUP_ID, peers);
    // A shutting-down leader closes its streams a little before its port: 10 probes over half a second.
    // The survivors 250 ms apart (at most half an election timeout): on the loaded 2-core machine they
    // noticed the same death up to ~120 ms apart, and the second must see the first one's vote request
    // before it goes.
    this.leaderLoss = new LeaderLossElection(peerId(config.id()), new LocalMember(), this::probeRaftPort,
        leaderLossTimer, 10, 50, Math.min(250, config.electionTimeoutMinMs() / 2));
    this.stateMachine = new CoordStateMachine(config.maxDataBytes(), config.minSessionTimeoutMs(),
        config.maxSessionTimeoutMs(), wallClock);
    File storageDir = config.dataDir().resolve("raft").toFile();
    boolean existing = new File(storageDir, GROUP_ID.getUuid().toString()).exists();
    Files.createDirectories(storageDir.toPath());
    this.server = RaftServer.newBuilder()
        .setServerId(peerId(config.id()))
        .setGroup(group)
        .setStateMachine(stateMachine)
        .setProperties(serverProperties(config, storageDir))
        .setParameters(serverParameters(leaderLoss.interceptor()))
        .setOption(existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
        .build();
    stateMachine.setLeaderChangeListener(this::onLeaderChanged);
  }

  private RaftClient newClient(RaftPeerId leader) {
    return RaftClient.newBuilder()
        .setProperties(clientProperties())
        .setRaftGroup(group)
        .setLeaderId(leader)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            40, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
        .build();
  }

  static RaftPeerId peerId(int id) {
    return RaftPeerId.valueOf(Integer.toString(id));
  }

  /**
   * Ratis' gRPC server runs its handlers on the network event loop instead of handing each append,
   * heartbeat and vote to gRPC's thread pool: at a few writes in flight those hand-offs were a large
   * share of every member's CPU (docs/benchmarks.md). The handlers pass their work on to Ratis' own
   * threads and wait only for short locks; a vote may wait for its metadata fsync. {@code appendStreams}
   * watches the leader's append streams ({@link LeaderLossElection}).
   */
  static Parameters serverParameters(ServerInterceptor appendStreams) {
    Parameters parameters = new Parameters();
    GrpcConfigKeys.Server.setServicesCustomizer(parameters,
        (builder, types) -> builder.directExecutor().intercept(appendStreams));
    return parameters;
  }

  private LeaderLossElection.Reach probeRaftPort(RaftPeerId peer) {
    NodeConfig.Member m = config.servers().get(Integer.parseInt(peer.toString()));
    return LeaderLossElection.connect(new java.net.InetSocketAddress(m.host(), m.raftPort()), 200);
  }

  /** Elections started because the leader's process was gone (see {@link LeaderLossElection}). */
  long leaderLossElections() {
    return leaderLoss.elections();
  }

  /** The local Raft member as {@link LeaderLossElection} sees it. */
  private final class LocalMember implements LeaderLossElection.Member {
    @Override
    public RaftPeerId followedLeader() {
      RaftServer.Division d = divisionOrNull();
      return d != null && d.getInfo().isFollower() ? d.getInfo().getLeaderId() : null;
    }

    @Override
    public long currentTerm() {
      RaftServer.Division d = divisionOrNull();
      return d == null ? -1 : d.getInfo().getCurrentTerm();
    }

    @Override
    public List<RaftPeerId> members() {
      return group.getPeers().stream().map(RaftPeer::getId).toList();
    }

    @Override
    public long lastIndex() {
      RaftServer.Division d = divisionOrNull();
      TermIndex last = d == null ? null : d.getRaftLog().getLastEntryTermIndex();
      return last == null ? -1 : last.getIndex();
    }

    @Override
    public long appliedIndex() {
      RaftServer.Division d = divisionOrNull();
      return d == null ? -1 : d.getInfo().getLastAppliedIndex();
    }

    /** Each append carries the commit indexes the leader knows, its own among them. */
    @Override
    public long commitIndexOf(RaftPeerId member) {
      RaftServer.Division d = divisionOrNull();
      return d == null ? -1 : d.getCommitInfos().stream()
          .filter(c -> RaftPeerId.valueOf(c.getServer().getId()).equals(member))
          .mapToLong(CommitInfoProto::getCommitIndex)
          .findFirst().orElse(-1);
    }

    /**
     * Ratis' own way to hand leadership over: a leader asks a follower with its whole log to stand at
     * once. Here the follower asks itself, in the name of its departed leader, with its own last entry.
     */
    @Override
    public boolean startElection(RaftPeerId formerLeader) throws IOException {
      RaftServer.Division d = division();
      TermIndex last = d.getRaftLog().getLastEntryTermIndex();
      if (last == null) {
        return false;
      }
      StartLeaderElectionRequestProto request = StartLeaderElectionRequestProto.newBuilder()
          .setServerRequest(RaftRpcRequestProto.newBuilder()
              .setRequestorId(formerLeader.toByteString())
              .setReplyId(selfId().toByteString())
              .setRaftGroupId(ProtoUtils.toRaftGroupIdProtoBuilder(GROUP_ID)))
          .setLeaderLastEntry(last.toProto())
          .build();
      return ((RaftServerProtocol) d).startLeaderElection(request).getServerReply().getSuccess();
    }

    /** Null while the server is not running: there is then no leader to lose. */
    private RaftServer.Division divisionOrNull() {
      try {
        return division();
      } catch (IOException e) {
        LOG.debug("no Raft division: {}", e.toString());
        return null;
      }
    }
  }

  static RaftProperties serverProperties(NodeConfig config, File storageDir) {
    RaftProperties p = new RaftProperties();
    // gRPC, with commits pushed to followers at once instead of logged as entries of their own
    RaftConfigKeys.Rpc.setType(p, new CommitPushingRpc());
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    NodeConfig.Member self = config.self();
    GrpcConfigKeys.Server.setHost(p, self.host());
    GrpcConfigKeys.Server.setPort(p, self.raftPort());
    RaftServerConfigKeys.setStorageDir(p, List.of(storageDir));
    RaftServerConfigKeys.Rpc.setTimeoutMin(p,
        TimeDuration.valueOf(config.electionTimeoutMinMs(), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p,
        TimeDuration.valueOf(config.electionTimeoutMaxMs(), TimeUnit.MILLISECONDS));
    // A leader that steps down for want of heartbeats from a majority (on a starved machine: a long
    // pause) waits this long before it may stand again; Ratis' default is 10 s. When its log is the
    // most up to date, no other member can win meanwhile: 10 s without a leader. Pre-vote keeps a
    // partitioned former leader from disrupting anyway, so one election timeout is enough.
    RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p,
        TimeDuration.valueOf(config.electionTimeoutMinMs(), TimeUnit.MILLISECONDS));
    // Ratis' default read is not linearizable; ReadIndex is.
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setTimeout(p, TimeDuration.valueOf(5, TimeUnit.SECONDS));
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotThreshold());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf("16MB"));
    // entries carry batches of up to a few MiB: room for the largest one plus headroom
    RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf("16MB"));
    RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf("8MB"));
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf("32MB"));
    // Answer retries of the same Raft call from the cache for as long as a client keeps retrying.
    RaftServerConfigKeys.RetryCache.setExpiryTime(p, TimeDuration.valueOf(120, TimeUnit.SECONDS));
    for (Map.Entry<String, String> e : config.raftProperties().entrySet()) {
      p.set(e.getKey(), e.getValue());
    }
    return p;
  }

  private static RaftProperties clientProperties() {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(3, TimeUnit.SECONDS));
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(p, 1000);
    GrpcConfigKeys.setMessageSizeMax(p, SizeInBytes.valueOf("32MB"));
    return p;
  }

  void start() throws IOException {
    // Ratis exits the whole JVM when it cannot bind its port: find out first, and say which port.
    NodeConfig.Member self = config.self();
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new java.net.InetSocketAddress(self.host(), self.raftPort()));
    } catch (IOException e) {
      throw new IOException("cannot bind the Raft port " + self.raftAddress() + ": " + e.getMessage(), e);
    }
    server.start();
  }

  RaftServer.Division division() throws IOException {
    return server.getDivision(GROUP_ID);
  }

  RaftPeerId selfId() {
    return peerId(config.id());
  }

  RaftGroup group() {
    return group;
  }

  CoordStateMachine stateMachine() {
    return stateMachine;
  }

  /**
   * Submits a log entry. On the leader it goes straight to the local Raft server: no gRPC round trip to
   * itself and no client-side sliding window. Elsewhere, or when the local server turns out not to lead
   * (it then refused the entry before appending it), a Raft client takes it to the leader, retrying
   * through elections.
   */
  CompletableFuture<RaftClientReply> submitWrite(Message entry) {
    RaftPeerId leader = knownLeader();
    if (leader == null) {
      // a Raft client without a leader tries members in turn, the frozen former leader too (seconds
      // lost); this member learns the new leader within an election
      return nextLeader().thenCompose(next -> submitTo(next, entry));
    }
    return submitTo(leader, entry);
  }

  private CompletableFuture<RaftClientReply> submitTo(RaftPeerId leader, Message entry) {
    if (!selfId().equals(leader)) {
      return sendTowards(leader, entry);
    }
    return submitLocally(entry, RaftClientRequest.writeRequestType()).thenCompose(reply ->
        !reply.isSuccess() && isRefusedBeforeAppend(reply.getException())
            // not leader after all, or not ready yet (its first entry uncommitted): the client retries
            ? sendTowards(knownLeader(), entry)
            : CompletableFuture.completedFuture(reply));
  }

  /** The next leader this member learns of, or null if none within {@link #LEADER_WAIT_MS}. */
  private CompletableFuture<RaftPeerId> nextLeader() {
    CompletableFuture<RaftPeerId> next = leaderAnnouncement;
    RaftPeerId now = knownLeader(); // after reading the announcement: no change slips between
    if (now != null) {
      return CompletableFuture.completedFuture(now);
    }
    return next.thenApply(l -> l).completeOnTimeout(null, LEADER_WAIT_MS, TimeUnit.MILLISECONDS);
  }

  private CompletableFuture<RaftClientReply> sendTowards(RaftPeerId leader, Message entry) {
    CompletableFuture<RaftClientReply> result = viaClient(leader, c -> c.async().send(entry));
    if (leader != null) {
      Set<CompletableFuture<RaftClientReply>> pending =
          sentToLeader.computeIfAbsent(leader, l -> ConcurrentHashMap.newKeySet());
      pending.add(result);
      result.whenComplete((r, e) -> pending.remove(result));
    }
    return result;
  }

  /**
   * Writes still waiting on a former leader end now, as unknown (UNAVAILABLE): the client retries them,
   * and their request ids keep a retry from applying twice. Otherwise a frozen former leader would hold
   * them, and the write batcher's slots, for the Raft client's whole request timeout.
   */
  private void onLeaderChanged(RaftPeerId newLeader) {
    if (newLeader != null) {
      CompletableFuture<RaftPeerId> announced = leaderAnnouncement;
      leaderAnnouncement = new CompletableFuture<>();
      leaderChanges.execute(() -> announced.complete(newLeader));
    }
    List<Runnable> failures = new ArrayList<>();
    sentToLeader.forEach((leader, pending) -> {
      if (!leader.equals(newLeader) && !pending.isEmpty()) {
        for (CompletableFuture<RaftClientReply> f : pending) {
          failures.add(() -> f.completeExceptionally(new LeaderChangedException("leader changed from " + leader
              + " to " + newLeader + " while the write was in flight: its outcome is unknown")));
        }
        // Its Raft client still retries those writes, and its ordered window would hold every later
        // call behind them: should that member lead again, its writes would wait for the deadline.
        RaftClient stale = clients.get(leader);
        if (stale != null) {
          failures.add(() -> retire(leader, stale, new IOException("leader changed from " + leader + " to "
              + newLeader + " with writes in flight through this client")));
        }
      }
    });
    if (!failures.isEmpty()) {
      // not on the Ratis thread that notified us: failing a write sends the batcher's next entry
      leaderChanges.execute(() -> failures.forEach(Runnable::run));
    }
  }

  /**
   * Runs a call through the Raft client that starts at {@code leader} (null: unknown). A Raft client
   * keeps sending to the leader it last saw until a request fails; when that leader is frozen (alive
   * but silent) that takes the whole request timeout, but this member learns of a new leader within an
   * election, and new requests then go to it at once. A client whose request failed for good (retries
   * used up during a long election) closes its ordered sliding window and refuses every later request:
   * it is dropped, and the next request gets a fresh one. Its failures become IOExceptions, which the
   * API reports as UNAVAILABLE (retry), not as internal errors.
   */
  private CompletableFuture<RaftClientReply> viaClient(RaftPeerId leader,
      java.util.function.Function<RaftClient, CompletableFuture<RaftClientReply>> call) {
    RaftPeerId key = leader == null ? UNKNOWN_LEADER : leader;
    RaftClient client = clients.computeIfAbsent(key, k -> newClient(leader));
    CompletableFuture<RaftClientReply> sent;
    try {
      sent = call.apply(client);
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<RaftClientReply> result = new CompletableFuture<>();
    // a client stuck on one call holds up the calls queued behind it in its ordered window: replace it
    expireAfter(result, forwardTimeoutMs, deadlines,
        () -> "no answer through the Raft client towards " + key + " within " + forwardTimeoutMs
            + " ms: the outcome is unknown",
        expired -> retire(key, client, expired));
    sent.whenComplete((reply, err) -> {
      if (err == null) {
        result.complete(reply);
        return;
      }
      Throwable cause = RaftErrors.unwrap(err);
      if (cause instanceof RaftRetryFailureException || cause instanceof AlreadyClosedException
          || cause instanceof IllegalStateException) {
        retire(key, client, cause);
      }
      result.completeExceptionally(cause instanceof IOException ? cause
          : new IOException("Raft client failed: " + cause, cause));
    });
    return result;
  }

  /**
   * Fails {@code result} with an IOException (the API's UNAVAILABLE: retry) if nothing has completed it
   * within {@code timeoutMs}, and then runs {@code onExpiry} with that exception.
   */
  static void expireAfter(CompletableFuture<?> result, long timeoutMs, ScheduledExecutorService timer,
      java.util.function.Supplier<String> message, java.util.function.Consumer<IOException> onExpiry) {
    ScheduledFuture<?> expiry = timer.schedule(() -> {
      IOException expired = new IOException(message.get());
      if (result.completeExceptionally(expired)) {
        onExpiry.accept(expired);
      }
    }, timeoutMs, TimeUnit.MILLISECONDS);
    result.whenComplete((r, e) -> expiry.cancel(false));
  }

  private static java.util.concurrent.ThreadFactory daemons(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  static ScheduledExecutorService newDeadlineTimer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemons("coord-raft-deadlines"));
    timer.setRemoveOnCancelPolicy(true); // most calls end long before their deadline
    return timer;
  }

  private void retire(RaftPeerId key, RaftClient client, Throwable why) {
    if (clients.remove(key, client)) {
      LOG.info("replacing the Raft client towards {}: {}", key, why.toString());
      clientCloser.execute(() -> {
        try {
          client.close();
        } catch (IOException | RuntimeException e) {
          LOG.warn("closing a retired Raft client failed", e);
        }
      });
    }
  }

  /** The leader this member currently follows (or is), or null while there is none. */
  private RaftPeerId knownLeader() {
    try {
      return division().getInfo().getLeaderId();
    } catch (IOException e) {
      return null; // the group is not (or no longer) served here: let the client find the leader
    }
  }

  /**
   * A linearizable read (ReadIndex) at this node, submitted to the local Raft server: a follower asks
   * the leader for its commit index, then waits until it has applied that far. Reads change nothing, so
   * a failed attempt (no leader yet, a timeout) is retried through a Raft client, which waits for a
   * leader.
   */
  CompletableFuture<RaftClientReply> linearizableRead(Message query) {
    return submitLocally(query, RaftClientRequest.readRequestType())
        .handle((reply, err) -> err == null && reply.isSuccess()
            ? CompletableFuture.completedFuture(reply)
            : viaClient(null, c -> c.async().sendReadOnlyUnordered(query, selfId())))
        .thenCompose(f -> f);
  }

  private CompletableFuture<RaftClientReply> submitLocally(Message message, RaftClientRequest.Type type) {
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(localClientId)
        .setServerId(selfId())
        .setGroupId(GROUP_ID)
        .setCallId(localCallIds.incrementAndGet())
        .setMessage(message)
        .setType(type)
        .build();
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = localSubmitter().submitClientRequestAsync(request);
    } catch (IOException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    // The local server completes replies on its own threads, some holding its locks (a read index is
    // confirmed under the heartbeat listeners' lock). What callers do next (submit the next entry, start
    // the next read round) must not run there: it can wait for the server's lock, a deadlock.
    return reply.whenCompleteAsync((r, e) -> { }, replyExecutor);
  }

  /**
   * The local division itself where it takes client requests (Ratis' own division does). The server
   * would hand each request to its client thread pool and block until that thread has submitted it: two
   * thread switches per entry, a measurable cost when few writes are in flight (docs/benchmarks.md).
   */
  private RaftClientAsynchronousProtocol localSubmitter() throws IOException {
    RaftServer.Division division = division();
    return division instanceof RaftClientAsynchronousProtocol direct ? direct : server;
  }

  /**
   * A write this member forwarded whose leader changed before it answered: its outcome is unknown, and
   * this member, which knows the new leader, is the best place to retry it (see {@link RaftErrors}).
   */
  static final class LeaderChangedException extends IOException {
    LeaderChangedException(String message) {
      super(message);
    }
  }

  private static boolean isRefusedBeforeAppend(Throwable e) {
    return e instanceof NotLeaderException || e instanceof LeaderNotReadyException;
  }

  @Override
  public void close() throws IOException {
    try {
      for (RaftClient c : clients.values()) {
        c.close();
      }
    } finally {
      try {
        server.close();
      } finally {
        replyExecutor.shutdown();
        deadlines.shutdownNow();
        leaderLossTimer.shutdownNow();
        leaderChanges.shutdown();
        clientCloser.shutdown();
      }
    }
  }
}
