package coord.statemachine;

import coord.api.v1.ErrorCode;
import coord.api.v1.SetDataRequest;
import coord.api.v1.SetDataResponse;
import coord.statemachine.proto.OpResult;

/** setData: replaces the data, bumps the data version, mzxid and mtime. */
final class SetDataOp {
  private SetDataOp() {}

  static OpResult apply(OpContext ctx, SetDataRequest req) {
    String path = req.getPath();
    OpResult bad = ctx.checkPath(path);
    if (bad == null) {
      bad = ctx.checkDataSize(path, req.getData().size());
    }
    if (bad != null) {
      return bad;
    }
    NodeRecord node = ctx.tree().get(path);
    if (node == null) {
      return ctx.error(ErrorCode.NO_NODE, "node does not exist", path);
    }
    bad = ctx.checkVersion(path, req.hasExpectedVersion(), req.getExpectedVersion(), node);
    if (bad != null) {
      return bad;
    }
    NodeRecord updated = node.withData(ctx.zxid(), ctx.timeMs(), req.getData().toByteArray());
    ctx.tree().put(path, node, updated);
    ctx.event(WatchEvent.Type.NODE_DATA_CHANGED, path);
    return OpResult.newBuilder()
        .setZxid(ctx.zxid())
        .setSetData(SetDataResponse.newBuilder().setStat(updated.toStat()))
        .build();
  }
}
