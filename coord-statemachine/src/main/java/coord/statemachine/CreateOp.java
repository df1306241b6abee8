package coord.statemachine;

import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.CreateResponse;
import coord.api.v1.ErrorCode;
import coord.statemachine.proto.OpResult;

/** create: ZooKeeper's checks in ZooKeeper's order, then the node and its parent's child counters. */
final class CreateOp {
  private CreateOp() {}

  static OpResult apply(OpContext ctx, CreateRequest req) {
    String requested = req.getPath();
    if (req.getMode() == CreateMode.UNRECOGNIZED) {
      return ctx.error(ErrorCode.INVALID_ARGUMENT, "unknown create mode " + req.getModeValue(), requested);
    }
    boolean sequential = req.getMode() == CreateMode.PERSISTENT_SEQUENTIAL;
    // A sequential path may end in '/' (the counter becomes the name): validate it with a suffix.
    String checked = sequential ? requested + "0" : requested;
    OpResult bad = ctx.checkPath(checked);
    if (bad == null) {
      bad = ctx.checkDataSize(requested, req.getData().size());
    }
    if (bad != null) {
      return bad;
    }
    if (ZPaths.ROOT.equals(checked)) {
      return ctx.error(ErrorCode.NODE_EXISTS, "the root always exists", requested);
    }
    String parentPath = ZPaths.parent(checked);
    NodeRecord parent = ctx.tree().get(parentPath);
    if (parent == null) {
      return ctx.error(ErrorCode.NO_NODE, "parent " + parentPath + " does not exist", requested);
    }
    String path = sequential ? requested + ZPaths.sequenceSuffix(parent.cversion()) : requested;
    if (ctx.tree().get(path) != null) {
      return ctx.error(ErrorCode.NODE_EXISTS, "node already exists", path);
    }
    if (parent.ephemeralOwner() != 0) {
      return ctx.error(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, "ephemeral nodes cannot have children", path);
    }
    NodeRecord node = NodeRecord.created(ctx.zxid(), ctx.timeMs(), 0, req.getData().toByteArray());
    ctx.tree().put(path, null, node);
    ctx.tree().put(parentPath, parent, parent.withChildChange(ctx.zxid(), +1));
    ctx.event(WatchEvent.Type.NODE_CREATED, path);
    ctx.event(WatchEvent.Type.NODE_CHILDREN_CHANGED, parentPath);
    return OpResult.newBuilder()
        .setZxid(ctx.zxid())
        .setCreate(CreateResponse.newBuilder().setPath(path).setStat(node.toStat()))
        .build();
  }
}
