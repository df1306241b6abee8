package coord.statemachine;

import coord.api.v1.DeleteRequest;
import coord.api.v1.DeleteResponse;
import coord.api.v1.ErrorCode;
import coord.statemachine.proto.OpResult;

/** delete: a leaf, at the expected version; the parent's cversion and pzxid move. */
final class DeleteOp {
  private DeleteOp() {}

  static OpResult apply(OpContext ctx, DeleteRequest req) {
    String path = req.getPath();
    OpResult bad = ctx.checkDeletable(path);
    if (bad != null) {
      return bad;
    }
    NodeRecord node = ctx.tree().get(path);
    bad = ctx.checkVersion(path, req.hasExpectedVersion(), req.getExpectedVersion(), node);
    if (bad != null) {
      return bad;
    }
    if (node.numChildren() > 0) {
      return ctx.error(ErrorCode.NOT_EMPTY, "node has " + node.numChildren() + " children", path);
    }
    removeLeaf(ctx, path);
    return OpResult.newBuilder().setZxid(ctx.zxid()).setDelete(DeleteResponse.getDefaultInstance()).build();
  }

  /** Removes an existing childless node and records the change on its parent. */
  static void removeLeaf(OpContext ctx, String path) {
    String parentPath = ZPaths.parent(path);
    NodeRecord parent = ctx.tree().get(parentPath);
    ctx.tree().remove(path);
    ctx.tree().put(parentPath, parent, parent.withChildChange(ctx.zxid(), -1));
    ctx.event(WatchEvent.Type.NODE_DELETED, path);
    ctx.event(WatchEvent.Type.NODE_CHILDREN_CHANGED, parentPath);
  }
}
