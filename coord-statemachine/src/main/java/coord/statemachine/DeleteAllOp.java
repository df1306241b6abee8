package coord.statemachine;

import coord.api.v1.DeleteAllRequest;
import coord.api.v1.DeleteAllResponse;
import coord.api.v1.ErrorCode;
import coord.statemachine.proto.OpResult;
import java.util.ArrayList;
import java.util.List;

/**
 * deleteall: the node and its whole subtree in one operation of one entry, so no concurrent create can
 * slip a child in between (unlike zkCli's client-side recursion).
 */
final class DeleteAllOp {
  private DeleteAllOp() {}

  static OpResult apply(OpContext ctx, DeleteAllRequest req) {
    String path = req.getPath();
    OpResult bad = ctx.checkDeletable(path);
    if (bad != null) {
      return bad;
    }
    List<String> postOrder = new ArrayList<>();
    collect(ctx.tree(), path, postOrder);
    for (int i = 0; i < postOrder.size() - 1; i++) {
      ctx.tree().remove(postOrder.get(i));
      ctx.event(WatchEvent.Type.NODE_DELETED, postOrder.get(i));
    }
    DeleteOp.removeLeaf(ctx, path);
    return OpResult.newBuilder()
        .setZxid(ctx.zxid())
        .setDeleteAll(DeleteAllResponse.newBuilder().setDeleted(postOrder.size()))
        .build();
  }

  // Iterative, so a very deep tree cannot overflow the stack.
  private static void collect(ZTree tree, String root, List<String> postOrder) {
    List<String> preOrder = new ArrayList<>();
    List<String> stack = new ArrayList<>();
    stack.add(root);
    while (!stack.isEmpty()) {
      String p = stack.remove(stack.size() - 1);
      preOrder.add(p);
      for (String name : tree.childNames(p)) {
        stack.add(ZPaths.child(p, name));
      }
    }
    // reversed pre-order visits every child before its parent
    for (int i = preOrder.size() - 1; i >= 0; i--) {
      postOrder.add(preOrder.get(i));
    }
  }
}
