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
  private static final byte[] DEDUP_PRUNED_UP_TO = Keys.meta("dedupPrunedUpTo");
  static final long DEDUP_PRUNE_EVERY_MS = 1000;
  /** Watch events are kept for this many log entries (each entry may hold a batch of writes) ... */
  public static final long HISTORY_ENTRIES = 100_000;
  /** ... and at most this many events: what the store rewrites as it compacts stays bounded. */
  public static final long HISTORY_MAX_EVENTS = 1_000_000;
  private static final byte[] HISTORY_EVENTS = Keys.meta("historyEvents");

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
    List<byte[]> dedupKeys = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (i >= MAX_OPS_PER_ENTRY) {
        results.add(OpResult.newBuilder().setError(ErrorCode.INVALID_ARGUMENT)
            .setErrorMessage("more than " + MAX_OPS_PER_ENTRY + " operations in one entry").build());
        continue;
      }
      OpContext ctx = new OpContext(tree, zxid(index, i), entry.getTimeMs(), entry.getMaxDataBytes(), events);
      results.add(applyOnce(ctx, entry, entry.getOps(i), dedupKeys));
    }
    if (!dedupKeys.isEmpty()) {
      // one record per entry lists its results for pruning: the index keeps keys of equal time apart
      tree.kv().put(Keys.dedupExpiry(entry.getTimeMs(), index), Keys.encodeDedupKeys(dedupKeys));
    }
    pruneDedup(tree.kv(), entry.getTimeMs() - DEDUP_RETENTION_MS, 2 * n + 1024);
    recordHistory(tree, index, events, 2 * events.size() + 16);
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
        boolean sequential = CreateOp.isSequential(op.getCreate().getMode());
        OpResult bad = ctx.checkPath(sequential ? path + "0" : path, path);
        yield bad != null ? bad : ctx.checkDataSize(path, op.getCreate().getData().size());
      }
      case SET_DATA -> {
        OpResult bad = ctx.checkPath(op.getSetData().getPath());
        yield bad != null ? bad : ctx.checkDataSize(op.getSetData().getPath(), op.getSetData().getData().size());
      }
      case DELETE -> ctx.checkPath(op.getDelete().getPath());
      case DELETE_ALL -> ctx.checkPath(op.getDeleteAll().getPath());
      case OPEN_SESSION, CLOSE_SESSION -> null;
      case REAP_NODE -> ctx.checkPath(op.getReapNode().getPath());
      case OP_NOT_SET -> ctx.error(ErrorCode.INVALID_ARGUMENT, "empty operation", "");
    };
  }

  /**
   * Applies an op unless an op with the same request id was applied before: then its first result. The
   * key of a new result record is added to {@code dedupKeys}.
   */
  private static OpResult applyOnce(OpContext ctx, LogEntry entry, Op op, List<byte[]> dedupKeys) {
    RequestId id = requestId(op);
    if (id == null || id.getClientId().isEmpty()) {
      return applyGuarded(ctx, entry, op);
    }
    if (id.getClientId().size() > MAX_CLIENT_ID_BYTES) {
      return ctx.error(ErrorCode.INVALID_ARGUMENT,
          "client_id longer than " + MAX_CLIENT_ID_BYTES + " bytes", "");
    }
    byte[] key = Keys.dedup(id.getClientId().toByteArray(), id.getCallId());
    KvTxn kv = ctx.tree().kv();
    byte[] stored = kv.get(key);
    // a record past its retention may still await pruning: it no longer counts
    if (stored != null && ByteBuffer.wrap(stored).getLong() >= ctx.timeMs() - DEDUP_RETENTION_MS) {
      try {
        return OpResult.parseFrom(ByteBuffer.wrap(stored, 8, stored.length - 8));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("corrupt dedup record", e);
      }
    }
    OpResult result = applyGuarded(ctx, entry, op);
    byte[] record = ByteBuffer.allocate(8 + result.getSerializedSize())
        .putLong(ctx.timeMs()).put(result.toByteArray()).array();
    kv.put(key, record);
    dedupKeys.add(key);
    return result;
  }

  /**
   * A bug in one operation must not take every replica down: its partial writes are rolled back and it
   * fails alone with INTERNAL. Storage failures (IllegalStateException from the store) stay fatal.
   */
  private static OpResult applyGuarded(OpContext ctx, LogEntry entry, Op op) {
    ctx.tree().setSavepoint();
    int eventsBefore = ctx.events().size();
    try {
      long session = sessionOf(op);
      if (session != 0 && ctx.tree().sessionTimeout(session) < 0) {
        return ctx.error(ErrorCode.SESSION_EXPIRED, "session 0x" + Long.toHexString(session) + " is not open", "");
      }
      return dispatch(ctx, entry, op);
    } catch (IllegalStateException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("operation at zxid 0x{} failed unexpectedly; rolled back", Long.toHexString(ctx.zxid()), e);
      ctx.tree().rollbackToSavepoint();
      ctx.events().subList(eventsBefore, ctx.events().size()).clear();
      return ctx.error(ErrorCode.INTERNAL, "internal error: " + e, "");
    }
  }

  private static OpResult dispatch(OpContext ctx, LogEntry entry, Op op) {
    return switch (op.getOpCase()) {
      case CREATE -> CreateOp.apply(ctx, op.getCreate());
      case SET_DATA -> SetDataOp.apply(ctx, op.getSetData());
      case DELETE -> DeleteOp.apply(ctx, op.getDelete());
      case DELETE_ALL -> DeleteAllOp.apply(ctx, op.getDeleteAll());
      case OPEN_SESSION -> SessionOps.open(ctx, op.getOpenSession(),
          entry.getMinSessionTimeoutMs(), entry.getMaxSessionTimeoutMs());
      case CLOSE_SESSION -> SessionOps.close(ctx, op.getCloseSession());
      case REAP_NODE -> ReapOp.apply(ctx, op.getReapNode());
      case OP_NOT_SET -> ctx.error(ErrorCode.INVALID_ARGUMENT, "empty operation", "");
    };
  }

  /** The session a write names (its owner for ephemerals), which must be open; 0 for none. */
  private static long sessionOf(Op op) {
    return switch (op.getOpCase()) {
      case CREATE -> op.getCreate().getSessionId();
      case SET_DATA -> op.getSetData().getSessionId();
      case DELETE -> op.getDelete().getSessionId();
      case DELETE_ALL -> op.getDeleteAll().getSessionId();
      default -> 0;
    };
  }

  private static RequestId requestId(Op op) {
    return switch (op.getOpCase()) {
      case CREATE -> op.getCreate().hasRequestId() ? op.getCreate().getRequestId() : null;
      case SET_DATA -> op.getSetData().hasRequestId() ? op.getSetData().getRequestId() : null;
      case DELETE -> op.getDelete().hasRequestId() ? op.getDelete().getRequestId() : null;
      case DELETE_ALL -> op.getDeleteAll().hasRequestId() ? op.getDeleteAll().getRequestId() : null;
      case OPEN_SESSION -> op.getOpenSession().hasRequestId() ? op.getOpenSession().getRequestId() : null;
      case CLOSE_SESSION -> op.getCloseSession().hasRequestId() ? op.getCloseSession().getRequestId() : null;
      case REAP_NODE, OP_NOT_SET -> null;
    };
  }

  /**
   * Stores this entry's events and drops those older than {@link #HISTORY_ENTRIES} log entries or beyond
   * the newest {@link #HISTORY_MAX_EVENTS} events (at most
   * {@code budget} a call), moving the history floor past them. Watches resume from this history.
   */
  private static void recordHistory(ZTreeTxn tree, long index, List<WatchEvent> events, int budget) {
    // absent in stores written before the count was kept: they converge once their old events are pruned
    long stored = Math.max(0, tree.readLong(HISTORY_EVENTS, 0)) + events.size();
    int seq = 0;
    long previous = -1;
    for (WatchEvent e : events) {
      seq = e.zxid() == previous ? seq + 1 : 0;
      previous = e.zxid();
      tree.putEvent(e.zxid(), seq, e.type(), e.path());
    }
    long cutoff = zxid(Math.max(0, index - HISTORY_ENTRIES), 0);
    long excess = stored - HISTORY_MAX_EVENTS;
    List<byte[]> old = new ArrayList<>();
    long floorBefore = tree.historyFloor();
    if (floorBefore < cutoff || excess > 0) {
      long[] lastDropped = {-1};
      boolean[] outOfBudget = {false};
      // Start where the last prune stopped: the keys before it are tombstones a scan would wade through.
      byte[] from = Keys.history(Math.max(0, floorBefore - 1), 0);
      tree.kv().scan(Keys.HISTORY_PREFIX, from, (k, v) -> {
        long z = Keys.historyZxid(k);
        if (z >= cutoff && old.size() >= excess) {
          return false;
        }
        if (old.size() >= budget) {
          outOfBudget[0] = true;
          return false;
        }
        old.add(Arrays.copyOf(k, k.length));
        lastDropped[0] = z;
        return true;
      });
      for (byte[] k : old) {
        tree.kv().delete(k);
      }
      // events of zxid <= the last dropped one may be incomplete now; none before the cutoff is left
      // unless the budget ran out first
      long newFloor = Math.max(floorBefore, lastDropped[0] + 1);
      if (!outOfBudget[0]) {
        newFloor = Math.max(newFloor, cutoff);
      }
      tree.kv().put(ZTree.HISTORY_FLOOR, ZTree.longBytes(newFloor));
    }
    tree.kv().put(HISTORY_EVENTS, ZTree.longBytes(stored - old.size()));
  }

  /** Drops dedup records older than {@code cutoffMs}, oldest first, stopping once past {@code budget}. */
  private static void pruneDedup(KvTxn kv, long cutoffMs, int budget) {
    List<byte[]> expired = new ArrayList<>();
    byte[] prunedUpTo = kv.get(DEDUP_PRUNED_UP_TO);
    long resumeAt = prunedUpTo == null ? 0 : ByteBuffer.wrap(prunedUpTo).getLong();
    if (resumeAt > cutoffMs - DEDUP_PRUNE_EVERY_MS) {
      // A scan costs a seek through the last prune's tombstones: prune once a second, not every entry.
      // Records not yet pruned are still ignored once expired (see applyOnce).
      return;
    }
    // Start where the last prune stopped: the keys before it are tombstones a scan would wade through.
    byte[] from = ByteBuffer.allocate(9).put(Keys.DEDUP_EXPIRY_PREFIX).putLong(Math.max(0, resumeAt)).array();
    List<byte[]> dedupKeys = new ArrayList<>();
    boolean[] outOfBudget = {false};
    kv.scan(Keys.DEDUP_EXPIRY_PREFIX, from, (k, v) -> {
      if (Keys.dedupExpiryTime(k) >= cutoffMs) {
        return false;
      }
      if (dedupKeys.size() >= budget) {
        outOfBudget[0] = true;
        return false;
      }
      expired.add(Arrays.copyOf(k, k.length));
      // stores written before per-entry lists had one empty record per result, named in its key
      dedupKeys.addAll(v.length == 0 ? List.of(Keys.dedupKeyOfExpiry(k)) : Keys.decodeDedupKeys(v));
      return true;
    });
    for (byte[] k : expired) {
      kv.delete(k);
    }
    for (byte[] dedupKey : dedupKeys) {
      byte[] record = kv.get(dedupKey);
      // the id may have been applied again after its first record expired: keep the newer record
      if (record != null && ByteBuffer.wrap(record).getLong() < cutoffMs) {
        kv.delete(dedupKey);
      }
    }
    long reached = outOfBudget[0] ? Keys.dedupExpiryTime(expired.get(expired.size() - 1)) : cutoffMs;
    kv.put(DEDUP_PRUNED_UP_TO, ZTree.longBytes(reached));
  }
}
