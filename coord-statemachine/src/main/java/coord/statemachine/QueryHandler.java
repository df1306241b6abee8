package coord.statemachine;

import com.google.protobuf.ByteString;
import coord.api.v1.ErrorCode;
import coord.api.v1.ExistsResponse;
import coord.api.v1.GetChildrenResponse;
import coord.api.v1.GetDataResponse;
import coord.api.v1.SyncResponse;
import coord.statemachine.proto.Query;
import coord.statemachine.proto.QueryReply;

/** Answers reads against one consistent view of the tree. Pure: no I/O beyond the view. */
public final class QueryHandler {
  private QueryHandler() {}

  public static QueryReply answer(ZTree tree, Query query) {
    QueryReply.Builder reply = QueryReply.newBuilder().setLastZxid(tree.lastZxid());
    switch (query.getQueryCase()) {
      case GET_DATA -> {
        String path = query.getGetData().getPath();
        NodeRecord node = lookup(tree, path, reply);
        if (node != null) {
          reply.setGetData(GetDataResponse.newBuilder()
              .setData(ByteString.copyFrom(node.data())).setStat(node.toStat()));
        }
      }
      case EXISTS -> {
        String path = query.getExists().getPath();
        if (checkPath(path, reply)) {
          NodeRecord node = tree.get(path);
          ExistsResponse.Builder r = ExistsResponse.newBuilder().setExists(node != null);
          if (node != null) {
            r.setStat(node.toStat());
          }
          reply.setExists(r);
        }
      }
      case GET_CHILDREN -> {
        String path = query.getGetChildren().getPath();
        NodeRecord node = lookup(tree, path, reply);
        if (node != null) {
          reply.setGetChildren(GetChildrenResponse.newBuilder()
              .addAllChildren(tree.childNames(path)).setStat(node.toStat()));
        }
      }
      case SYNC -> reply.setSync(SyncResponse.getDefaultInstance());
      case QUERY_NOT_SET -> reply.setError(ErrorCode.INVALID_ARGUMENT).setErrorMessage("empty query");
    }
    return reply.build();
  }

  private static NodeRecord lookup(ZTree tree, String path, QueryReply.Builder reply) {
    if (!checkPath(path, reply)) {
      return null;
    }
    NodeRecord node = tree.get(path);
    if (node == null) {
      reply.setError(ErrorCode.NO_NODE).setErrorMessage("node does not exist").setErrorPath(path);
    }
    return node;
  }

  private static boolean checkPath(String path, QueryReply.Builder reply) {
    String reason = ZPaths.invalidReason(path);
    if (reason != null) {
      reply.setError(ErrorCode.INVALID_PATH).setErrorMessage("invalid path '" + path + "': " + reason)
          .setErrorPath(path);
      return false;
    }
    return true;
  }
}
