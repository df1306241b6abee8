package coord.client;

import coord.api.v1.AdminGrpc;
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
import coord.api.v1.SetDataRequest;
import coord.api.v1.SetDataResponse;
import coord.api.v1.StatusRequest;
import coord.api.v1.StatusResponse;
import coord.api.v1.SyncRequest;
import coord.api.v1.SyncResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A scripted coord node on a loopback port: every request is recorded, then answered by {@link #handler},
 * which returns the response, throws a {@link StatusRuntimeException} to fail the call, or returns
 * {@link #HANG} to never answer.
 */
final class FakeNode implements AutoCloseable {
  static final Object HANG = new Object();

  final List<Object> requests = new CopyOnWriteArrayList<>();
  volatile Function<Object, Object> handler = request -> {
    throw Status.UNIMPLEMENTED.withDescription("no handler").asRuntimeException();
  };
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
  }

  private final class AdminService extends AdminGrpc.AdminImplBase {
    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
      handle(request, observer);
    }
  }
}
