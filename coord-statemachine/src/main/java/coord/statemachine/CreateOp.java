package coord.statemachine;

import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.CreateResponse;
import coord.api.v1.ErrorCode;
import coord.statemachine.proto.OpResult;

/** create: ZooKeeper's checks in ZooKeeper's order, then the node and its parent's child counters. */
final class CreateOp {
  private CreateOp() {}

  static boolean isSequential(CreateMode mode) {
    return mode == CreateMode.PERSISTENT_SEQUENTIAL || mode == CreateMode.EPHEMERAL_SEQUENTIAL
        || mode == CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
  }

  static boolean isTtl(CreateMode mode) {
    return mode == CreateMode.PERSISTENT_WITH_TTL || mode == CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
  }

  static OpResult apply(OpContext ctx, CreateRequest req) {
    String requested = req.getPath();
    if (req.getMode() == CreateMode.UNRECOGNIZED) {
      return ctx.error(ErrorCode.INVALID_ARGUMENT, "unknown create mode " + req.getModeValue(), requested);
    }
    if (isTtl(req.getMode()) && (req.getTtlMs() <= 0 || req.getTtlMs() > EphemeralType.MAX_TTL_MS)) {
      return ctx.error(ErrorCode.INVALID_ARGUMENT,
          "ttl_ms must be in 1.." + EphemeralType.MAX_TTL_MS + ", got " + req.getTtlMs(), requested);
    }
    boolean sequential = isSequential(req.getMode());
    // A sequential path may end in '/' (the counter becomes the name): validate it with a suffix.
    String checked = sequential ? requested + "0" : requested;
    OpResult bad = ctx.checkPath(checked, requested);
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
    if (EphemeralType.isEphemeral(parent.ephemeralOwner())) {
      return ctx.error(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, "ephemeral nodes cannot have children", path);
    }
    long owner = 0;
    switch (req.getMode()) {
      case EPHEMERAL, EPHEMERAL_SEQUENTIAL -> {
        if (req.getSessionId() == 0) {
          return ctx.error(ErrorCode.INVALID_ARGUMENT, "ephemeral nodes need a session", path);
        }
        owner = req.getSessionId(); // known open: checked for every write that names a session
      }
      case CONTAINER -> owner = EphemeralType.CONTAINER_OWNER;
      case PERSISTENT_WITH_TTL, PERSISTENT_SEQUENTIAL_WITH_TTL -> owner = EphemeralType.ttlOwner(req.getTtlMs());
      default -> owner = 0;
    }
    NodeRecord node = NodeRecord.created(ctx.zxid(), ctx.timeMs(), owner, req.getData().toByteArray());
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
