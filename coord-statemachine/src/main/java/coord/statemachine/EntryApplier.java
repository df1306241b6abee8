package coord.statemachine;

import coord.api.v1.ErrorCode;
import coord.api.v1.RequestId;
import coord.statemachine.proto.LogEntry;
import coord.statemachine.proto.Op;
import coord.statemachine.proto.OpResult;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pure core: applies one log entry to the tree. A deterministic function of (tree, index, entry):
 * times and limits come from the entry, never from this replica. Each operation gets its own zxid and
 * result; a failed one changes nothing and does not affect the others.
 */
public final class EntryApplier {
  private static final Logger LOG = LoggerFactory.getLogger(EntryApplier.class);

  /** Operations per entry are bounded by the zxid layout: index in the high bits, position in the low 16. */
  public static final int MAX_OPS_PER_ENTRY = 1 << 16;
  /** How long (leader time) the result of an identified write is kept to answer its retries. */
  public static final long DEDUP_RETENTION_MS = 10 * 60 * 1000L;
  static final int MAX_CLIENT_ID_BYTES = 64;

  private EntryApplier() {}

  public static long zxid(long index, int position) {
    return (index << 16) | position;
  }

  /** The Raft log index a zxid was assigned in. */
  public static long indexOf(long zxid) {
    return zxid >>> 16;
  }

  /** What applying one entry produced. */
  public record Result(List<OpResult> results, List<WatchEvent> events, long lastZxid) {}

  public static Result apply(ZTreeTxn tree, long index, LogEntry entry) {
    int n = entry.getOpsCount();
    List<OpResult> results = new ArrayList<>(n);
    List<WatchEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i >= MAX_OPS_PER_ENTRY) {
        results.add(OpResult.newBuilder().setError(ErrorCode.INVALID_ARGUMENT)
            .setErrorMessage("more than " + MAX_OPS_PER_ENTRY + " operations in one entry").build());
        continue;
      }
      OpContext ctx = new OpContext(tree, zxid(index, i), entry.getTimeMs(), entry.getMaxDataBytes(), events);
      results.add(applyOnce(ctx, entry.getOps(i)));
    }
    pruneDedup(tree.kv(), entry.getTimeMs() - DEDUP_RETENTION_MS, 2 * n + 16);
    long lastZxid = n == 0 ? tree.lastZxid() : zxid(index, Math.min(n, MAX_OPS_PER_ENTRY) - 1);
    return new Result(results, events, lastZxid);
  }

  /**
   * The checks that need no tree (path syntax, data size), for a server to refuse a bad request before
   * proposing it; apply runs the same checks again as the authority. Null when the op passes.
   */
  public static OpResult precheck(Op op, int maxDataBytes) {
    OpContext ctx = new OpContext(null, 0, 0, maxDataBytes, new ArrayList<>());
    return switch (op.getOpCase()) {
      case CREATE -> {
        String path = op.getCreate().getPath();
        boolean sequential = op.getCreate().getMode() == coord.api.v1.CreateMode.PERSISTENT_SEQUENTIAL;
        OpResult bad = ctx.checkPath(sequential ? path + "0" : path);
        yield bad != null ? bad : ctx.checkDataSize(path, op.getCreate().getData().size());
      }
      case SET_DATA -> {
        OpResult bad = ctx.checkPath(op.getSetData().getPath());
        yield bad != null ? bad : ctx.checkDataSize(op.getSetData().getPath(), op.getSetData().getData().size());
      }
      case DELETE -> ctx.checkPath(op.getDelete().getPath());
      case DELETE_ALL -> ctx.checkPath(op.getDeleteAll().getPath());
      case OP_NOT_SET -> ctx.error(ErrorCode.INVALID_ARGUMENT, "empty operation", "");
    };
  }

  /** Applies an op unless an op with the same request id was applied before: then its first result. */
  private static OpResult applyOnce(OpContext ctx, Op op) {
    RequestId id = requestId(op);
    if (id == null || id.getClientId().isEmpty()) {
      return applyGuarded(ctx, op);
    }
    if (id.getClientId().size() > MAX_CLIENT_ID_BYTES) {
      return ctx.error(ErrorCode.INVALID_ARGUMENT,
          "client_id longer than " + MAX_CLIENT_ID_BYTES + " bytes", "");
    }
    byte[] key = Keys.dedup(id.getClientId().toByteArray(), id.getCallId());
    KvTxn kv = ctx.tree().kv();
    byte[] stored = kv.get(key);
    if (stored != null) {
      try {
        return OpResult.parseFrom(ByteBuffer.wrap(stored, 8, stored.length - 8));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("corrupt dedup record", e);
      }
    }
    OpResult result = applyGuarded(ctx, op);
    byte[] record = ByteBuffer.allocate(8 + result.getSerializedSize())
        .putLong(ctx.timeMs()).put(result.toByteArray()).array();
    kv.put(key, record);
    kv.put(Keys.dedupExpiry(ctx.timeMs(), key), new byte[0]);
    return result;
  }

  /**
   * A bug in one operation must not take every replica down: its partial writes are rolled back and it
   * fails alone with INTERNAL. Storage failures (IllegalStateException from the store) stay fatal.
   */
  private static OpResult applyGuarded(OpContext ctx, Op op) {
    ctx.tree().setSavepoint();
    int eventsBefore = ctx.events().size();
    try {
      return dispatch(ctx, op);
    } catch (IllegalStateException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("operation at zxid 0x{} failed unexpectedly; rolled back", Long.toHexString(ctx.zxid()), e);
      ctx.tree().rollbackToSavepoint();
      ctx.events().subList(eventsBefore, ctx.events().size()).clear();
      return ctx.error(ErrorCode.INTERNAL, "internal error: " + e, "");
    }
  }

  private static OpResult dispatch(OpContext ctx, Op op) {
    return switch (op.getOpCase()) {
      case CREATE -> CreateOp.apply(ctx, op.getCreate());
      case SET_DATA -> SetDataOp.apply(ctx, op.getSetData());
      case DELETE -> DeleteOp.apply(ctx, op.getDelete());
      case DELETE_ALL -> DeleteAllOp.apply(ctx, op.getDeleteAll());
      case OP_NOT_SET -> ctx.error(ErrorCode.INVALID_ARGUMENT, "empty operation", "");
    };
  }

  private static RequestId requestId(Op op) {
    return switch (op.getOpCase()) {
      case CREATE -> op.getCreate().hasRequestId() ? op.getCreate().getRequestId() : null;
      case SET_DATA -> op.getSetData().hasRequestId() ? op.getSetData().getRequestId() : null;
      case DELETE -> op.getDelete().hasRequestId() ? op.getDelete().getRequestId() : null;
      case DELETE_ALL -> op.getDeleteAll().hasRequestId() ? op.getDeleteAll().getRequestId() : null;
      case OP_NOT_SET -> null;
    };
  }

  /** Drops dedup records older than {@code cutoffMs}, at most {@code budget} a call, oldest first. */
  private static void pruneDedup(KvTxn kv, long cutoffMs, int budget) {
    List<byte[]> expired = new ArrayList<>();
    kv.scan(Keys.DEDUP_EXPIRY_PREFIX, null, (k, v) -> {
      if (Keys.dedupExpiryTime(k) >= cutoffMs || expired.size() >= budget) {
        return false;
      }
      expired.add(Arrays.copyOf(k, k.length));
      return true;
    });
    for (byte[] k : expired) {
      kv.delete(k);
      kv.delete(Keys.dedupKeyOfExpiry(k));
    }
  }
}
