package coord.server;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;
import org.apache.ratis.server.raftlog.RaftLogIOException;

/**
 * Ratis' gRPC transport, except that the leader tells followers about a new commit index at once.
 *
 * <p>Ratis' own way to do that is to write every commit-index advance into the log as an entry of its own
 * (log metadata), which every member then fsyncs: a second synced entry per write. Without it, a
 * leader's log appender has nothing to send after a commit and a follower learns the commit only with the
 * next heartbeat (a quarter of a second), so reads at followers trail writes visibly. Here the appender
 * sends an empty append (a heartbeat, which carries the commit index) right after each commit instead:
 * one message, no fsync. Under load the next entry's append carries the commit anyway.
 *
 * <p>Selected by class name through {@code raft.rpc.type} (see {@link RaftNode}).
 */
public final class CommitPushingRpc implements RpcType {
  @Override
  public String name() {
    return CommitPushingRpc.class.getName(); // Ratis turns the configured name back into this class
  }

  @Override
  public RpcFactory newFactory(Parameters parameters) {
    return new Factory(parameters);
  }

  static final class Factory extends GrpcFactory {
    Factory(Parameters parameters) {
      super(parameters);
    }

    @Override
    public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
      return new Appender(server, state, follower);
    }
  }

  /** Only the appender's own thread calls {@link #newAppendEntriesRequest}, under the appender's lock. */
  static final class Appender extends GrpcLogAppender {
    private long pushedCommit = -1;

    Appender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
      super(server, state, follower);
    }

    @Override
    public AppendEntriesRequestProto newAppendEntriesRequest(long callId, boolean heartbeat)
        throws RaftLogIOException {
      AppendEntriesRequestProto request = super.newAppendEntriesRequest(callId, heartbeat);
      if (request != null || heartbeat) {
        return request;
      }
      // Nothing new to send. The run loop calls this after every commit while the follower's known
      // commit index trails the leader's.
      long commit = getRaftLog().getLastCommittedIndex();
      if (shouldPush(commit, pushedCommit, getFollower().getCommitIndex(), hasPendingDataRequests())) {
        pushedCommit = commit;
        return super.newAppendEntriesRequest(callId, true);
      }
      return null;
    }

    /**
     * Whether to send a heartbeat just to carry {@code leaderCommit}. Not while appends are in flight: a
     * heartbeat sent then names no previous entry, so the follower could not use its commit index; the
     * reply to those appends brings the appender back here.
     */
    static boolean shouldPush(long leaderCommit, long pushedCommit, long followerCommit, boolean appendsInFlight) {
      return !appendsInFlight && leaderCommit > followerCommit && leaderCommit > pushedCommit;
    }
  }
}
