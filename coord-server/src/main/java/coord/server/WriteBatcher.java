package coord.server;

import coord.statemachine.EntryApplier;
import coord.statemachine.proto.EntryReply;
import coord.statemachine.proto.LogEntry;
import coord.statemachine.proto.Op;
import coord.statemachine.proto.OpResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * Groups concurrent client writes into Raft entries. A write is sent at once when fewer than
 * {@code maxInFlight} entries are in flight; otherwise it waits for the next entry, which takes everything
 * queued (up to {@code maxOps} operations or {@code maxBytes}). So a lone write never waits, and under
 * load many writes share one entry's replication and fsync.
 */
final class WriteBatcher {
  private final Function<Message, CompletableFuture<RaftClientReply>> submit;
  private final int maxInFlight;
  private final int maxOps;
  private final int maxBytes;

  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int inFlight;

  private record Pending(Op op, CompletableFuture<OpResult> result) {}

  WriteBatcher(Function<Message, CompletableFuture<RaftClientReply>> submit, int maxInFlight, int maxOps,
      int maxBytes) {
    if (maxOps > EntryApplier.MAX_OPS_PER_ENTRY) {
      throw new IllegalArgumentException("maxOps above " + EntryApplier.MAX_OPS_PER_ENTRY);
    }
    this.submit = submit;
    this.maxInFlight = maxInFlight;
    this.maxOps = maxOps;
    this.maxBytes = maxBytes;
  }

  /** Completes with the op's own result, or exceptionally if its entry could not be committed. */
  CompletableFuture<OpResult> submit(Op op) {
    CompletableFuture<OpResult> result = new CompletableFuture<>();
    List<Pending> batch;
    synchronized (this) {
      queue.add(new Pending(op, result));
      batch = takeBatchIfIdle();
    }
    if (batch != null) {
      send(batch);
    }
    return result;
  }

  // Caller holds the lock.
  private List<Pending> takeBatchIfIdle() {
    if (queue.isEmpty() || inFlight >= maxInFlight) {
      return null;
    }
    List<Pending> batch = new ArrayList<>();
    int bytes = 0;
    while (!queue.isEmpty() && batch.size() < maxOps) {
      int size = queue.peek().op().getSerializedSize();
      if (!batch.isEmpty() && bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      batch.add(queue.poll());
    }
    inFlight++;
    return batch;
  }

  private void send(List<Pending> batch) {
    LogEntry.Builder entry = LogEntry.newBuilder();
    for (Pending p : batch) {
      entry.addOps(p.op());
    }
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = submit.apply(Message.valueOf(UnsafeByteOperations.unsafeWrap(entry.build().toByteArray())));
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    reply.whenComplete((r, err) -> {
      complete(batch, r, err);
      List<Pending> next;
      synchronized (this) {
        inFlight--;
        next = takeBatchIfIdle();
      }
      if (next != null) {
        send(next);
      }
    });
  }

  private static void complete(List<Pending> batch, RaftClientReply reply, Throwable err) {
    Throwable failure = err != null ? err : reply.isSuccess() ? null : reply.getException();
    if (failure == null) {
      try {
        EntryReply entryReply = EntryReply.parseFrom(reply.getMessage().getContent().asReadOnlyByteBuffer());
        if (entryReply.getResultsCount() != batch.size()) {
          failure = new IllegalStateException(
              "entry reply has " + entryReply.getResultsCount() + " results for " + batch.size() + " ops");
        } else {
          for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(entryReply.getResults(i));
          }
          return;
        }
      } catch (com.google.protobuf.InvalidProtocolBufferException e) {
        failure = e;
      }
    }
    for (Pending p : batch) {
      p.result().completeExceptionally(failure);
    }
  }

}
