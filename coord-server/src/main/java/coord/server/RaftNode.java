package coord.server;

import coord.statemachine.CoordStateMachine;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/** The Ratis side of a node: one Raft peer of the cluster's group, and a client to submit through. */
final class RaftNode implements AutoCloseable {
  /** Every coord cluster is one Raft group; its id is fixed so that members agree without coordination. */
  static final RaftGroupId GROUP_ID =
      RaftGroupId.valueOf(UUID.nameUUIDFromBytes("coord".getBytes(StandardCharsets.UTF_8)));

  private final NodeConfig config;
  private final RaftGroup group;
  private final CoordStateMachine stateMachine;
  private final RaftServer server;
  private final RaftClient client;

  RaftNode(NodeConfig config) throws IOException {
    this.config = config;
    List<RaftPeer> peers = new ArrayList<>();
    for (NodeConfig.Member m : config.servers().values()) {
      peers.add(RaftPeer.newBuilder()
          .setId(peerId(m.id()))
          .setAddress(m.raftAddress())
          .build());
    }
    this.group = RaftGroup.valueOf(GROUP_ID, peers);
    this.stateMachine = new CoordStateMachine(config.maxDataBytes(), config.minSessionTimeoutMs(),
        config.maxSessionTimeoutMs());
    File storageDir = config.dataDir().resolve("raft").toFile();
    boolean existing = new File(storageDir, GROUP_ID.getUuid().toString()).exists();
    Files.createDirectories(storageDir.toPath());
    this.server = RaftServer.newBuilder()
        .setServerId(peerId(config.id()))
        .setGroup(group)
        .setStateMachine(stateMachine)
        .setProperties(serverProperties(config, storageDir))
        .setOption(existing ? RaftStorage.StartupOption.RECOVER : RaftStorage.StartupOption.FORMAT)
        .build();
    this.client = RaftClient.newBuilder()
        .setProperties(clientProperties())
        .setRaftGroup(group)
        .setLeaderId(null)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
            40, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)))
        .build();
  }

  static RaftPeerId peerId(int id) {
    return RaftPeerId.valueOf(Integer.toString(id));
  }

  static RaftProperties serverProperties(NodeConfig config, File storageDir) {
    RaftProperties p = new RaftProperties();
    RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
    NodeConfig.Member self = config.self();
    GrpcConfigKeys.Server.setHost(p, self.host());
    GrpcConfigKeys.Server.setPort(p, self.raftPort());
    RaftServerConfigKeys.setStorageDir(p, List.of(storageDir));
    RaftServerConfigKeys.Rpc.setTimeoutMin(p,
        TimeDuration.valueOf(config.electionTimeoutMinMs(), TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p,
        TimeDuration.valueOf(config.electionTimeoutMaxMs(), TimeUnit.MILLISECONDS));
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

  RaftClient client() {
    return client;
  }

  @Override
  public void close() throws IOException {
    try {
      client.close();
    } finally {
      server.close();
    }
  }
}
