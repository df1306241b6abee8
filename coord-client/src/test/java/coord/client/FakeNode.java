package coord.client;

import coord.api.v1.AdminGrpc;
import coord.api.v1.CloseSessionRequest;
import coord.api.v1.CloseSessionResponse;
import coord.api.v1.CoordGrpc;
import coord.api.v1.CreateRequest;
import coord.api.v1.CreateResponse;
import coord.api.v1.DeleteAllRequest;
import coord.api.v1.DeleteAllResponse;
import coord.api.v1.DeleteRequest;
import coord.api.v1.DeleteResponse;
import coord.api.v1.ExistsRequest;
import coord.api.v1.ExistsResponse;
import coord.api.v1.GetChildrenRequest;
import coord.api.v1.GetChildrenResponse;
import coord.api.v1.GetDataRequest;
import coord.api.v1.GetDataResponse;
import coord.api.v1.KeepAliveRequest;
import coord.api.v1.KeepAliveResponse;
import coord.api.v1.OpenSessionRequest;
import coord.api.v1.OpenSessionResponse;
import coord.api.v1.SetDataRequest;
import coord.api.v1.SetDataResponse;
import coord.api.v1.StatusRequest;
import coord.api.v1.StatusResponse;
import coord.api.v1.SyncRequest;
import coord.api.v1.SyncResponse;
import coord.api.v1.WatchRequest;
import coord.api.v1.WatchResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A scripted coord node on a loopback port: every request is recorded, then answered by {@link #handler},
 * which returns the response, throws a {@link StatusRuntimeException} to fail the call, or returns
 * {@link #HANG} to never answer.
 *
 * <p>Streams: each KeepAlive request is recorded in {@link #keepAlives} and answered by
 * {@link #keepAlive} (null: no answer); each Watch request is queued in {@link #watchRequests}, and the
 * test answers through the stream's observer in {@link #watchStreams}.
 */
final class FakeNode implements AutoCloseable {
  static final Object HANG = new Object();

  final List<Object> requests = new CopyOnWriteArrayList<>();
  volatile Function<Object, Object> handler = request -> {
    throw Status.UNIMPLEMENTED.withDescription("no handler").asRuntimeException();
  };
  final BlockingQueue<KeepAliveRequest> keepAlives = new LinkedBlockingQueue<>();
  volatile Function<KeepAliveRequest, KeepAliveResponse> keepAlive = r ->
      KeepAliveResponse.newBuilder().setSessionId(r.getSessionId()).setTimeoutMs(3000).build();
  final List<StreamObserver<KeepAliveResponse>> keepAliveStreams = new CopyOnWriteArrayList<>();
  final BlockingQueue<WatchRequest> watchRequests = new LinkedBlockingQueue<>();
  final List<StreamObserver<WatchResponse>> watchStreams = new CopyOnWriteArrayList<>();
  private final Server server;

  FakeNode() {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new CoordService())
        .addService(new AdminService())
        .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  FakeNode answering(Function<Object, Object> handler) {
    this.handler = handler;
    return this;
  }

  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  int calls() {
    return requests.size();
  }

  /** Stops the server and returns its endpoint, on which nothing listens any more. */
  String stop() {
    String endpoint = endpoint();
    close();
    return endpoint;
  }

  @Override
  public void close() {
    try {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @SuppressWarnings("unchecked")
  private <A> void handle(Object request, StreamObserver<A> observer) {
    requests.add(request);
    Object response;
    try {
      response = handler.apply(request);
    } catch (StatusRuntimeException e) {
      observer.onError(e);
      return;
    }
    if (response != HANG) {
      observer.onNext((A) response);
      observer.onCompleted();
    }
  }

  private final class CoordService extends CoordGrpc.CoordImplBase {
    @Override
    public void create(CreateRequest request, StreamObserver<CreateResponse> observer) {
      handle(request, observer);
    }

    @Override
    public void getData(GetDataRequest request, StreamObserver<GetDataResponse> observer) {
      handle(request, observer);
    }

    @Override
    public void setData(SetDataRequest request, StreamObserver<SetDataResponse> observer) {
      handle(request, observer);
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<DeleteResponse> observer) {
      handle(request, observer);
    }

    @Override
    public void deleteAll(DeleteAllRequest request, StreamObserver<DeleteAllResponse> observer) {
      handle(request, observer);
    }

    @Override
    public void exists(ExistsRequest request, StreamObserver<ExistsResponse> observer) {
      handle(request, observer);
    }

    @Override
    public void getChildren(GetChildrenRequest request, StreamObserver<GetChildrenResponse> observer) {
      handle(request, observer);
    }

    @Override
    public void sync(SyncRequest request, StreamObserver<SyncResponse> observer) {
      handle(request, observer);
    }

    @Override
    public void openSession(OpenSessionRequest request, StreamObserver<OpenSessionResponse> observer) {
      handle(request, observer);
    }

    @Override
    public void closeSession(CloseSessionRequest request, StreamObserver<CloseSessionResponse> observer) {
      handle(request, observer);
    }

    @Override
    public StreamObserver<KeepAliveRequest> keepAlive(StreamObserver<KeepAliveResponse> observer) {
      keepAliveStreams.add(observer);
      return new StreamObserver<>() {
        @Override
        public void onNext(KeepAliveRequest request) {
          keepAlives.add(request);
          KeepAliveResponse response = keepAlive.apply(request);
          if (response != null) {
            synchronized (observer) {
              observer.onNext(response);
              if (response.getExpired()) {
                observer.onCompleted();
              }
            }
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          observer.onCompleted();
        }
      };
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> observer) {
      watchStreams.add(observer);
      return new StreamObserver<>() {
        @Override
        public void onNext(WatchRequest request) {
          watchRequests.add(request);
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          observer.onCompleted();
        }
      };
    }
  }

  private final class AdminService extends AdminGrpc.AdminImplBase {
    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
      handle(request, observer);
    }
  }
}
