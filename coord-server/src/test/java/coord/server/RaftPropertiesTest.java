package coord.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

/** The Ratis settings a node runs with, from its config. */
class RaftPropertiesTest {
  private static NodeConfig config(Properties extra) {
    Properties p = new Properties();
    p.setProperty("dataDir", "/tmp/coord-raft-properties-test");
    p.setProperty("server.1", "127.0.0.1:2291:2281");
    p.setProperty("electionTimeoutMinMs", "400");
    p.setProperty("electionTimeoutMaxMs", "800");
    p.putAll(extra);
    return NodeConfig.fromProperties(p, 1);
  }

  private static RaftProperties raft(Properties extra) {
    return RaftNode.serverProperties(config(extra), new File("/tmp/coord-raft-properties-test/raft"));
  }

  @Test
  void aLeaderThatSteppedDownMayStandAgainAfterOneElectionTimeout() {
    // Ratis' 10 s default left a cluster without a leader for 10 s when the stepped-down leader had the
    // longest log (seen in failover drills on a loaded machine)
    RaftProperties p = raft(new Properties());
    assertThat(RaftServerConfigKeys.LeaderElection.leaderStepDownWaitTime(p).toLong(TimeUnit.MILLISECONDS))
        .isEqualTo(400);
    assertThat(RaftServerConfigKeys.LeaderElection.preVote(p)).isTrue();
  }

  @Test
  void commitsArePushedToFollowersInsteadOfLoggedAsEntries() {
    RaftProperties p = raft(new Properties());
    assertThat(RaftServerConfigKeys.Log.logMetadataEnabled(p)).isFalse();
    // Ratis turns the configured name back into the class: it must resolve to the pushing transport
    assertThat(RaftConfigKeys.Rpc.type(p, s -> { })).isInstanceOf(CommitPushingRpc.class);
    assertThat(new CommitPushingRpc().newFactory(new Parameters()))
        .isInstanceOf(org.apache.ratis.grpc.GrpcFactory.class);
  }

  @Test
  void aCommitIsPushedOnceAndOnlyWhenTheFollowerCanUseIt() {
    // the follower trails, nothing in flight, not pushed yet
    assertThat(CommitPushingRpc.Appender.shouldPush(10, 9, 9, false)).isTrue();
    // already pushed, its reply not back yet
    assertThat(CommitPushingRpc.Appender.shouldPush(10, 10, 9, false)).isFalse();
    // the follower knows it
    assertThat(CommitPushingRpc.Appender.shouldPush(10, 9, 10, false)).isFalse();
    // appends in flight: a heartbeat now names no previous entry, so the follower could not use it
    assertThat(CommitPushingRpc.Appender.shouldPush(10, 9, 9, true)).isFalse();
  }

  @Test
  void raftKeysInTheConfigOverrideCoordsChoices() {
    Properties extra = new Properties();
    extra.setProperty("raft.server.leaderelection.leader.step-down.wait-time", "2s");
    RaftProperties p = raft(extra);
    assertThat(RaftServerConfigKeys.LeaderElection.leaderStepDownWaitTime(p).toLong(TimeUnit.MILLISECONDS))
        .isEqualTo(2000);
  }
}
