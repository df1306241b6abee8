package coord.server;

import static org.awaitility.Awaitility.await;

import coord.api.v1.AddWatch;
import coord.api.v1.CoordGrpc;
import coord.api.v1.KeepAliveRequest;
import coord.api.v1.KeepAliveResponse;
import coord.api.v1.OpenSessionRequest;
import coord.api.v1.OpenSessionResponse;
import coord.api.v1.WatchEvent;
import coord.api.v1.WatchMode;
import coord.api.v1.WatchRequest;
import coord.api.v1.WatchResponse;
import io.grpc.ManagedChannel;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Sessions and watch streams over the raw gRPC API, as a client in any language would use them. */
final class RawClients {
  private static final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
    Thread t = new Thread(r, "raw-client-heartbeats");
    t.setDaemon(true);
    return t;
  });

  private RawClients() {}

  /** Sends one heartbeat on a new KeepAlive stream and returns the answer. */
  static KeepAliveResponse keepAliveOnce(ManagedChannel ch, long sessionId) {
    ConcurrentLinkedQueue<KeepAliveResponse> replies = new ConcurrentLinkedQueue<>();
    StreamObserver<KeepAliveRequest> st = CoordGrpc.newStub(ch).keepAlive(collectInto(replies));
    st.onNext(KeepAliveRequest.newBuilder().setSessionId(sessionId).build());
    await().atMost(Duration.ofSeconds(5)).until(() -> !replies.isEmpty());
    st.onCompleted();
    return replies.peek();
  }

  static <T> StreamObserver<T> collectInto(java.util.Collection<T> sink) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        sink.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  static CoordGrpc.CoordBlockingStub stub(ManagedChannel ch) {
    return CoordGrpc.newBlockingStub(ch).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  /** A session kept alive from a KeepAlive stream until stopped. */
  static final class Session implements AutoCloseable {
    final long id;
    final long timeoutMs;
    final StreamObserver<KeepAliveRequest> stream;
    final java.util.concurrent.ScheduledFuture<?> beats;
    final ConcurrentLinkedQueue<KeepAliveResponse> replies = new ConcurrentLinkedQueue<>();

    Session(ManagedChannel ch, long requestedTimeoutMs) {
      OpenSessionResponse opened = stub(ch).openSession(
          OpenSessionRequest.newBuilder().setTimeoutMs(requestedTimeoutMs).build());
      id = opened.getSessionId();
      timeoutMs = opened.getTimeoutMs();
      stream = CoordGrpc.newStub(ch).keepAlive(collectInto(replies));
      beats = timer.scheduleAtFixedRate(() -> {
        synchronized (stream) {
          stream.onNext(KeepAliveRequest.newBuilder().setSessionId(id).build());
        }
      }, 0, timeoutMs / 4, TimeUnit.MILLISECONDS);
    }

    /** Stops heartbeating without closing the session: like a client that died. */
    @Override
    public void close() {
      beats.cancel(false);
    }
  }

  /** A Watch stream collecting what it receives. */
  static final class WatchStream {
    final ConcurrentLinkedQueue<WatchResponse> received = new ConcurrentLinkedQueue<>();
    final StreamObserver<WatchRequest> requests;

    WatchStream(ManagedChannel ch) {
      requests = CoordGrpc.newStub(ch).watch(collectInto(received));
    }

    void add(long id, String path, WatchMode mode, Long afterZxid) {
      AddWatch.Builder a = AddWatch.newBuilder().setWatchId(id).setPath(path).setMode(mode);
      if (afterZxid != null) {
        a.setAfterZxid(afterZxid);
      }
      requests.onNext(WatchRequest.newBuilder().setAdd(a).build());
      await().atMost(Duration.ofSeconds(20)).until(() ->
          received.stream().anyMatch(r -> r.getWatchId() == id && (r.getAdded() || r.getRemoved() || r.getCompacted())));
    }

    List<WatchEvent> events(long watchId) {
      List<WatchEvent> all = new ArrayList<>();
      received.stream().filter(r -> r.getWatchId() == watchId).forEach(r -> all.addAll(r.getEventsList()));
      return all;
    }
  }

}
