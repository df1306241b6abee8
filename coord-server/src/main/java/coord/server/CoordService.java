package coord.server;

import coord.api.Errors;
import coord.api.v1.Consistency;
import coord.api.v1.CoordGrpc;
import coord.api.v1.CreateRequest;
import coord.api.v1.CreateResponse;
import coord.api.v1.DeleteAllRequest;
import coord.api.v1.DeleteAllResponse;
import coord.api.v1.DeleteRequest;
import coord.api.v1.DeleteResponse;
import coord.api.v1.ErrorCode;
import coord.api.v1.ExistsRequest;
import coord.api.v1.ExistsResponse;
import coord.api.v1.GetChildrenRequest;
import coord.api.v1.GetChildrenResponse;
import coord.api.v1.GetDataRequest;
import coord.api.v1.GetDataResponse;
import coord.api.v1.ResponseHeader;
import coord.api.v1.SetDataRequest;
import coord.api.v1.SetDataResponse;
import coord.api.v1.SyncRequest;
import coord.api.v1.SyncResponse;
import coord.statemachine.EntryApplier;
import coord.statemachine.ZPaths;
import coord.statemachine.proto.Op;
import coord.statemachine.proto.OpResult;
import coord.statemachine.proto.Query;
import coord.statemachine.proto.QueryReply;
import coord.api.v1.AddWatch;
import coord.api.v1.CloseSessionRequest;
import coord.api.v1.CloseSessionResponse;
import coord.api.v1.KeepAliveRequest;
import coord.api.v1.KeepAliveResponse;
import coord.api.v1.OpenSessionRequest;
import coord.api.v1.OpenSessionResponse;
import coord.api.v1.WatchRequest;
import coord.api.v1.WatchResponse;
import coord.statemachine.proto.CloseSession;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;

/**
 * The client API. Every method checks what it can cheaply, submits (writes through the batcher, reads
 * through Raft's ReadIndex or the local replica), and maps the outcome: a typed result or a typed error.
 * No thread waits on a request.
 */
final class CoordService extends CoordGrpc.CoordImplBase {
  private final RaftNode raft;
  private final WriteBatcher batcher;
  private final int maxDataBytes;
  private final String servedBy;
  private final SessionTracker sessions;
  private final WatchHub watches;
  private final ReadBarrier reads;

  /**
   * A no-op read: a ReadIndex round, and then this member's last zxid. Reads answer from the local
   * tree after such a round, so an answer never travels through Ratis (whose message size limit a long
   * child list can exceed).
   */
  private static final Message SYNC_QUERY = Message.valueOf(UnsafeByteOperations.unsafeWrap(
      Query.newBuilder().setSync(SyncRequest.getDefaultInstance()).build().toByteArray()));
  /** Two rounds out at once: a read arriving during one waits at most about one more. */
  private static final int READ_INDEX_ROUNDS_IN_FLIGHT = 2;

  CoordService(RaftNode raft, WriteBatcher batcher, int maxDataBytes, SessionTracker sessions,
      WatchHub watches) {
    this.raft = raft;
    this.batcher = batcher;
    this.maxDataBytes = maxDataBytes;
    this.servedBy = raft.selfId().toString();
    this.sessions = sessions;
    this.watches = watches;
    this.reads = new ReadBarrier(
        () -> raft.linearizableRead(SYNC_QUERY).thenApply(CoordService::parseRaftReply),
        READ_INDEX_ROUNDS_IN_FLIGHT);
  }

  // ------------------------------------------------------------------ sessions

  @Override
  public void openSession(OpenSessionRequest req, StreamObserver<OpenSessionResponse> out) {
    if (req.getTimeoutMs() <= 0) {
      out.onError(Errors.toStatusException(ErrorCode.INVALID_ARGUMENT, "timeout_ms must be positive", null));
      return;
    }
    write(Op.newBuilder().setOpenSession(req).build(), out, r -> {
      sessions.heard(r.getOpenSession().getSessionId());
      return r.getOpenSession().toBuilder().setHeader(header(r.getZxid())).build();
    });
  }

  @Override
  public void closeSession(CloseSessionRequest req, StreamObserver<CloseSessionResponse> out) {
    CloseSession close = CloseSession.newBuilder().setSessionId(req.getSessionId())
        .setRequestId(req.getRequestId()).build();
    write(Op.newBuilder().setCloseSession(close).build(), out,
        r -> r.getCloseSession().toBuilder().setHeader(header(r.getZxid())).build());
  }

  /**
   * Heartbeats. A session whose id (a zxid) this node has already applied past, and which is not open
   * here, is gone: the stream says so and ends. A newer id may simply not have reached this node yet.
   */
  @Override
  public StreamObserver<KeepAliveRequest> keepAlive(StreamObserver<KeepAliveResponse> out) {
    return new StreamObserver<>() {
      private boolean ended; // guarded by out

      @Override
      public void onNext(KeepAliveRequest req) {
        long id = req.getSessionId();
        long[] known;
        try {
          known = raft.stateMachine().withTree(t -> new long[] {t.sessionTimeout(id), t.lastZxid()});
        } catch (RuntimeException e) {
          synchronized (out) {
            if (!ended) {
              ended = true;
              out.onError(RaftErrors.toStatus(e));
            }
          }
          return;
        }
        boolean gone = known[0] < 0 && id <= known[1];
        if (!gone) {
          sessions.heard(id);
        }
        synchronized (out) {
          if (ended) {
            return;
          }
          out.onNext(KeepAliveResponse.newBuilder().setSessionId(id).setExpired(gone)
              .setTimeoutMs(Math.max(0, known[0])).build());
          if (gone) {
            ended = true;
            out.onCompleted();
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        synchronized (out) {
          ended = true;
        }
      }

      @Override
      public void onCompleted() {
        synchronized (out) {
          if (!ended) {
            ended = true;
            out.onCompleted();
          }
        }
      }
    };
  }

  // ------------------------------------------------------------------ watches

  @Override
  public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
    WatchHub.Stream stream = new WatchHub.Stream((ServerCallStreamObserver<WatchResponse>) out);
    return new StreamObserver<>() {
      @Override
      public void onNext(WatchRequest req) {
        switch (req.getRequestCase()) {
          case ADD -> stream.then(() -> add(stream, req.getAdd()));
          case REMOVE -> stream.then(() -> {
            watches.remove(stream, req.getRemove().getWatchId());
            return CompletableFuture.completedFuture(null);
          });
          case REQUEST_NOT_SET -> { }
        }
      }

      @Override
      public void onError(Throwable t) {
        stream.markEnded();
        watches.removeAll(stream);
      }

      @Override
      public void onCompleted() {
        watches.removeAll(stream);
        stream.end();
      }
    };
  }

  // ------------------------------------------------------------------ writes

  @Override
  public void create(CreateRequest req, StreamObserver<CreateResponse> out) {
    write(Op.newBuilder().setCreate(req).build(), out,
        r -> r.getCreate().toBuilder().setHeader(header(r.getZxid())).build());
  }

  @Override
  public void setData(SetDataRequest req, StreamObserver<SetDataResponse> out) {
    write(Op.newBuilder().setSetData(req).build(), out,
        r -> r.getSetData().toBuilder().setHeader(header(r.getZxid())).build());
  }

  @Override
  public void delete(DeleteRequest req, StreamObserver<DeleteResponse> out) {
    write(Op.newBuilder().setDelete(req).build(), out,
        r -> r.getDelete().toBuilder().setHeader(header(r.getZxid())).build());
  }

  @Override
  public void deleteAll(DeleteAllRequest req, StreamObserver<DeleteAllResponse> out) {
    write(Op.newBuilder().setDeleteAll(req).build(), out,
        r -> r.getDeleteAll().toBuilder().setHeader(header(r.getZxid())).build());
  }

  private <T> void write(Op op, StreamObserver<T> out, Function<OpResult, T> response) {
    OpResult rejected = EntryApplier.precheck(op, maxDataBytes);
    if (rejected != null) {
      out.onError(Errors.toStatusException(rejected.getError(), rejected.getErrorMessage(),
          rejected.getErrorPath()));
      return;
    }
    batcher.submit(op).whenComplete((result, err) -> {
      if (err != null) {
        out.onError(RaftErrors.toStatus(err));
      } else if (result.getError() != ErrorCode.ERROR_CODE_UNSPECIFIED) {
        out.onError(Errors.toStatusException(result.getError(), result.getErrorMessage(),
            emptyToNull(result.getErrorPath())));
      } else {
        out.onNext(response.apply(result));
        out.onCompleted();
      }
    });
  }

  // ------------------------------------------------------------------ reads

  @Override
  public void getData(GetDataRequest req, StreamObserver<GetDataResponse> out) {
    read(Query.newBuilder().setGetData(req).build(), req.getConsistency(), out,
        r -> r.getGetData().toBuilder().setHeader(header(r.getLastZxid())).build());
  }

  @Override
  public void exists(ExistsRequest req, StreamObserver<ExistsResponse> out) {
    read(Query.newBuilder().setExists(req).build(), req.getConsistency(), out,
        r -> r.getExists().toBuilder().setHeader(header(r.getLastZxid())).build());
  }

  @Override
  public void getChildren(GetChildrenRequest req, StreamObserver<GetChildrenResponse> out) {
    read(Query.newBuilder().setGetChildren(req).build(), req.getConsistency(), out,
        r -> r.getGetChildren().toBuilder().setHeader(header(r.getLastZxid())).build());
  }

  /** A linearizable no-op read: when it returns, this node has applied everything committed before. */
  @Override
  public void sync(SyncRequest req, StreamObserver<SyncResponse> out) {
    String reason = req.getPath().isEmpty() ? null : ZPaths.invalidReason(req.getPath());
    if (reason != null) {
      out.onError(Errors.toStatusException(ErrorCode.INVALID_PATH, reason, req.getPath()));
      return;
    }
    read(Query.newBuilder().setSync(req).build(), Consistency.LINEARIZABLE, out,
        r -> SyncResponse.newBuilder().setHeader(header(r.getLastZxid())).build());
  }

  /**
   * A watch without after_zxid starts from a linearizable "now": this node first catches up with the
   * leader (ReadIndex), so the watch cannot fire for a change the client already saw complete elsewhere.
   */
  private CompletableFuture<Void> add(WatchHub.Stream stream, AddWatch add) {
    if (add.hasAfterZxid()) {
      watches.add(stream, add);
      return CompletableFuture.completedFuture(null);
    }
    return reads.await()
        .thenCompose(passed -> raft.stateMachine().query(SYNC_QUERY))
        .thenApply(CoordService::parseQueryReply)
        .handle((reply, err) -> {
          if (err != null) {
            stream.send(WatchResponse.newBuilder().setWatchId(add.getWatchId()).setRemoved(true)
                .setError(ErrorCode.UNAVAILABLE).setErrorMessage(String.valueOf(RaftErrors.unwrap(err)))
                .build());
          } else {
            watches.add(stream, add.toBuilder().setAfterZxid(reply.getLastZxid()).build());
          }
          return null;
        });
  }

  private <T> void read(Query query, Consistency consistency, StreamObserver<T> out,
      Function<QueryReply, T> response) {
    Message msg = Message.valueOf(UnsafeByteOperations.unsafeWrap(query.toByteArray()));
    CompletableFuture<QueryReply> reply;
    if (consistency == Consistency.STALE
        || (consistency == Consistency.LINEARIZABLE && Failpoint.STALE_READS.active())) {
      reply = raft.stateMachine().query(msg).thenApply(CoordService::parseQueryReply);
    } else if (consistency == Consistency.LINEARIZABLE) {
      reply = reads.await()
          .thenCompose(passed -> raft.stateMachine().query(msg))
          .thenApply(CoordService::parseQueryReply);
    } else {
      out.onError(Errors.toStatusException(ErrorCode.INVALID_ARGUMENT,
          "unknown consistency " + consistency, null));
      return;
    }
    reply.whenComplete((r, err) -> {
      if (err != null) {
        out.onError(RaftErrors.toStatus(err));
      } else if (r.getError() != ErrorCode.ERROR_CODE_UNSPECIFIED) {
        out.onError(Errors.toStatusException(r.getError(), r.getErrorMessage(), emptyToNull(r.getErrorPath())));
      } else {
        out.onNext(response.apply(r));
        out.onCompleted();
      }
    });
  }

  private static QueryReply parseRaftReply(RaftClientReply reply) {
    if (!reply.isSuccess()) {
      throw new java.util.concurrent.CompletionException(reply.getException());
    }
    return parseQueryReply(reply.getMessage());
  }

  private static QueryReply parseQueryReply(Message m) {
    try {
      return QueryReply.parseFrom(m.getContent().asReadOnlyByteBuffer());
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("unparseable query reply", e);
    }
  }

  private ResponseHeader header(long zxid) {
    return ResponseHeader.newBuilder().setZxid(zxid).setServedBy(servedBy).build();
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
