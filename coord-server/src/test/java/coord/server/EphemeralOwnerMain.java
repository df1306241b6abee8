package coord.server;

import coord.api.v1.CoordGrpc;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.KeepAliveRequest;
import coord.api.v1.KeepAliveResponse;
import coord.api.v1.OpenSessionRequest;
import coord.api.v1.OpenSessionResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;

/**
 * A client process for tests: opens a session on the given endpoint, creates an ephemeral node, prints
 * {@code READY <sessionId> <timeoutMs>} and heartbeats until it is killed. Bounded: exits by itself after
 * ten minutes.
 */
public final class EphemeralOwnerMain {
  private EphemeralOwnerMain() {}

  public static void main(String[] args) throws Exception {
    String endpoint = args[0];
    String path = args[1];
    long requestedTimeout = Long.parseLong(args[2]);
    ManagedChannel ch = NettyChannelBuilder.forTarget(endpoint).usePlaintext().build();
    CoordGrpc.CoordBlockingStub stub = CoordGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS);
    OpenSessionResponse s = stub.openSession(OpenSessionRequest.newBuilder().setTimeoutMs(requestedTimeout).build());
    stub.create(CreateRequest.newBuilder().setPath(path).setMode(CreateMode.EPHEMERAL)
        .setSessionId(s.getSessionId()).build());
    StreamObserver<KeepAliveRequest> beats = CoordGrpc.newStub(ch).keepAlive(new StreamObserver<KeepAliveResponse>() {
      @Override
      public void onNext(KeepAliveResponse r) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    });
    System.out.println("READY " + s.getSessionId() + " " + s.getTimeoutMs());
    System.out.flush();
    long end = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (System.nanoTime() < end) {
      beats.onNext(KeepAliveRequest.newBuilder().setSessionId(s.getSessionId()).build());
      Thread.sleep(s.getTimeoutMs() / 4); // the heartbeat period itself, not a synchronisation
    }
    ch.shutdownNow();
  }
}
