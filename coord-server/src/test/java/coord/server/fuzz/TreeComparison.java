package coord.server.fuzz;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.ByteString;
import coord.api.v1.CoordGrpc;
import coord.api.v1.GetChildrenRequest;
import coord.api.v1.GetChildrenResponse;
import coord.api.v1.GetDataRequest;
import coord.api.v1.GetDataResponse;
import coord.api.v1.Role;
import coord.api.v1.StatusResponse;
import coord.api.v1.AdminGrpc;
import coord.api.v1.StatusRequest;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The end check: every member walks its whole tree with linearizable getChildren and getData, and the
 * walk must equal the model node for node (names, data, versions, child counts, owners); the members'
 * Admin.Status digests and znode counts agree, and exactly one leader is known to all.
 */
final class TreeComparison {
  private final ApiFuzzer f;

  TreeComparison(ApiFuzzer f) {
    this.f = f;
  }

  void run() throws Exception {
    for (int m = 0; m < f.channels.size(); m++) {
      walk(m);
    }
    f.cluster.awaitConverged();
    List<StatusResponse> statuses = new ArrayList<>();
    for (ManagedChannel ch : f.channels) {
      f.counts.add("check: Admin.Status");
      statuses.add(AdminGrpc.newBlockingStub(ch).withDeadlineAfter(ApiFuzzer.DEADLINE_MS, TimeUnit.MILLISECONDS)
          .status(StatusRequest.getDefaultInstance()));
    }
    long leaders = statuses.stream().filter(s -> s.getRole() == Role.LEADER).count();
    check(leaders == 1, "expected one leader, statuses say " + leaders);
    check(statuses.stream().map(StatusResponse::getLeaderId).distinct().count() == 1,
        "members disagree on the leader");
    check(statuses.stream().map(StatusResponse::getDigest).distinct().count() == 1, "digests differ");
    for (StatusResponse s : statuses) {
      check(s.getZnodeCount() == f.model.nodes.size(),
          "member " + s.getId() + " counts " + s.getZnodeCount() + " znodes, the model " + f.model.nodes.size());
    }
  }

  /** Breadth-first over member {@code m}'s tree, one level of concurrent linearizable reads at a time. */
  private void walk(int m) throws Exception {
    var stub = CoordGrpc.newFutureStub(f.channels.get(m));
    List<String> level = List.of("/");
    int seen = 0;
    while (!level.isEmpty()) {
      List<String> next = new ArrayList<>();
      for (int from = 0; from < level.size(); from += 128) {
        List<String> chunk = level.subList(from, Math.min(level.size(), from + 128));
        List<ListenableFuture<GetChildrenResponse>> kids = new ArrayList<>();
        List<ListenableFuture<GetDataResponse>> datas = new ArrayList<>();
        for (String p : chunk) {
          var s = stub.withDeadlineAfter(ApiFuzzer.DEADLINE_MS, TimeUnit.MILLISECONDS);
          kids.add(s.getChildren(GetChildrenRequest.newBuilder().setPath(p).build()));
          datas.add(s.getData(GetDataRequest.newBuilder().setPath(p).build()));
          f.counts.add("check: tree walk reads");
          f.counts.add("check: tree walk reads");
        }
        for (int i = 0; i < chunk.size(); i++) {
          String p = chunk.get(i);
          ZnodeModel.Node n = f.model.nodes.get(p);
          check(n != null, "member " + m + " has " + p + ", the model does not");
          GetChildrenResponse c = kids.get(i).get(ApiFuzzer.DEADLINE_MS, TimeUnit.MILLISECONDS);
          GetDataResponse d = datas.get(i).get(ApiFuzzer.DEADLINE_MS, TimeUnit.MILLISECONDS);
          check(c.getChildrenList().equals(new ArrayList<>(n.children)), "member " + m + " lists children of " + p
              + " as " + ApiFuzzer.abbreviate(c.getChildrenList()) + ", the model " + ApiFuzzer.abbreviate(n.children));
          check(d.getData().equals(ByteString.copyFrom(n.data)), "member " + m + ": data of " + p + " differs");
          var st = d.getStat();
          check(st.getVersion() == n.version && st.getCversion() == n.cversion && st.getEphemeralOwner() == n.owner
              && st.getNumChildren() == n.children.size(), "member " + m + ": stat of " + p + " is "
              + st.toString().replace('\n', ' ') + "; model version " + n.version + " cversion " + n.cversion
              + " owner " + n.owner);
          for (String name : c.getChildrenList()) {
            next.add(ZnodeModel.child(p, name));
          }
          seen++;
        }
      }
      level = next;
    }
    check(seen == f.model.nodes.size(), "member " + m + " walked " + seen + " nodes, the model has "
        + f.model.nodes.size());
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
