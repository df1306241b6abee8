package coord.statemachine;

import coord.api.v1.DeleteResponse;
import coord.api.v1.ErrorCode;
import coord.statemachine.proto.OpResult;
import coord.statemachine.proto.ReapNode;

/**
 * Deletes a container or TTL node the leader found due. The leader's clock decided "due"; apply only
 * checks that the node is still the one the leader saw and still childless, which every replica decides
 * the same way.
 */
final class ReapOp {
  private ReapOp() {}

  static OpResult apply(OpContext ctx, ReapNode req) {
    String path = req.getPath();
    OpResult bad = ctx.checkPath(path);
    if (bad != null) {
      return bad;
    }
    NodeRecord node = ctx.tree().get(path);
    if (node == null) {
      return ctx.error(ErrorCode.NO_NODE, "node does not exist", path);
    }
    boolean reapable = EphemeralType.isContainer(node.ephemeralOwner())
        || EphemeralType.isTtl(node.ephemeralOwner());
    if (!reapable || node.numChildren() > 0 || node.mzxid() != req.getMzxid()
        || node.cversion() != req.getCversion()) {
      return ctx.error(ErrorCode.BAD_VERSION, "node changed since it was found due", path);
    }
    DeleteOp.removeLeaf(ctx, path);
    return OpResult.newBuilder().setZxid(ctx.zxid()).setDelete(DeleteResponse.getDefaultInstance()).build();
  }
}
