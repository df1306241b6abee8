package coord.server;

import coord.api.v1.AdminGrpc;
import coord.api.v1.Member;
import coord.api.v1.Role;
import coord.api.v1.StatusRequest;
import coord.api.v1.StatusResponse;
import coord.api.v1.TouchSessionsRequest;
import coord.api.v1.TouchSessionsResponse;
import coord.statemachine.CoordStateMachine;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;
import org.apache.ratis.server.RaftServer;

/** Cluster administration: this node's view of itself and its group. */
final class AdminService extends AdminGrpc.AdminImplBase {
  private final RaftNode raft;
  private final NodeConfig config;
  private volatile SessionTracker sessions;

  AdminService(RaftNode raft, NodeConfig config) {
    this.raft = raft;
    this.config = config;
  }

  void setSessionTracker(SessionTracker sessions) {
    this.sessions = sessions;
  }

  @Override
  public void touchSessions(TouchSessionsRequest req, StreamObserver<TouchSessionsResponse> out) {
    SessionTracker tracker = sessions;
    boolean leader = tracker != null && tracker.heardElsewhere(req.getSessionIdsList());
    out.onNext(TouchSessionsResponse.newBuilder().setLeader(leader).build());
    out.onCompleted();
  }

  @Override
  public void status(StatusRequest req, StreamObserver<StatusResponse> out) {
    try {
      out.onNext(status());
      out.onCompleted();
    } catch (IOException | RuntimeException e) {
      out.onError(RaftErrors.toStatus(e));
    }
  }

  StatusResponse status() throws IOException {
    RaftServer.Division division = raft.division();
    DivisionInfo info = division.getInfo();
    CoordStateMachine.TreeStatus tree = raft.stateMachine().treeStatus();
    RaftPeerId leader = info.getLeaderId();
    StatusResponse.Builder b = StatusResponse.newBuilder()
        .setId(raft.selfId().toString())
        .setRole(role(info))
        .setLeaderId(leader == null ? "" : leader.toString())
        .setTerm(info.getCurrentTerm())
        .setCommitIndex(division.getRaftLog().getLastCommittedIndex())
        .setAppliedIndex(tree.appliedIndex())
        .setLastZxid(tree.lastZxid())
        .setZnodeCount(tree.nodeCount())
        .setDigest(String.format("%016x", tree.digest()))
        .setSessionCount(tree.sessions());
    for (NodeConfig.Member m : config.servers().values()) {
      b.addMembers(Member.newBuilder()
          .setId(Integer.toString(m.id())).setRaftAddress(m.raftAddress()).setClientAddress(m.clientAddress()));
    }
    return b.build();
  }

  private static Role role(DivisionInfo info) {
    return switch (info.getCurrentRole()) {
      case LEADER -> Role.LEADER;
      case FOLLOWER -> Role.FOLLOWER;
      case CANDIDATE -> Role.CANDIDATE;
      case LISTENER -> Role.LISTENER;
      default -> Role.ROLE_UNSPECIFIED;
    };
  }
}
