package coord.statemachine;

import coord.api.v1.CloseSessionResponse;
import coord.api.v1.ErrorCode;
import coord.api.v1.OpenSessionRequest;
import coord.api.v1.OpenSessionResponse;
import coord.statemachine.proto.CloseSession;
import coord.statemachine.proto.OpResult;

/** Opening and closing sessions. A session's id is the zxid of the operation that opened it. */
final class SessionOps {
  private SessionOps() {}

  static OpResult open(OpContext ctx, OpenSessionRequest req, long minTimeoutMs, long maxTimeoutMs) {
    long timeout = Math.max(minTimeoutMs, Math.min(maxTimeoutMs, req.getTimeoutMs()));
    long id = ctx.zxid();
    ctx.tree().putSession(id, timeout);
    return OpResult.newBuilder()
        .setZxid(ctx.zxid())
        .setOpenSession(OpenSessionResponse.newBuilder().setSessionId(id).setTimeoutMs(timeout))
        .build();
  }

  /** Ends the session and deletes its ephemeral nodes in this same operation. */
  static OpResult close(OpContext ctx, CloseSession req) {
    long id = req.getSessionId();
    if (ctx.tree().sessionTimeout(id) < 0) {
      return ctx.error(ErrorCode.SESSION_EXPIRED, "session 0x" + Long.toHexString(id) + " is not open", "");
    }
    for (String path : ctx.tree().ownedBy(id)) {
      DeleteOp.removeLeaf(ctx, path);
    }
    ctx.tree().removeSession(id);
    return OpResult.newBuilder()
        .setZxid(ctx.zxid())
        .setCloseSession(CloseSessionResponse.getDefaultInstance())
        .build();
  }
}
