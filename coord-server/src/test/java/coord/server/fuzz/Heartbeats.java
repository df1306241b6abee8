package coord.server.fuzz;

import coord.api.v1.CoordGrpc;
import coord.api.v1.KeepAliveRequest;
import coord.api.v1.KeepAliveResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Keeps sessions alive from KeepAlive streams, as a client would, until closed. */
final class Heartbeats implements AutoCloseable {
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "fuzz-heartbeats");
    t.setDaemon(true);
    return t;
  });
  private final List<StreamObserver<KeepAliveRequest>> streams = new ArrayList<>();

  void keep(ManagedChannel ch, long sessionId, long timeoutMs) {
    StreamObserver<KeepAliveRequest> stream = CoordGrpc.newStub(ch).keepAlive(new StreamObserver<>() {
      @Override
      public void onNext(KeepAliveResponse value) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
    streams.add(stream);
    timer.scheduleAtFixedRate(() -> {
      synchronized (stream) {
        stream.onNext(KeepAliveRequest.newBuilder().setSessionId(sessionId).build());
      }
    }, 0, timeoutMs / 5, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    for (StreamObserver<KeepAliveRequest> s : streams) {
      synchronized (s) {
        s.onCompleted();
      }
    }
  }
}
