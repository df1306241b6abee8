package coord.server.fuzz;

import coord.api.v1.AdminGrpc;
import coord.api.v1.CoordGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Calls any method of the node with arbitrary bytes as the request: what a broken client could send. */
final class RawGrpc {
  static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private RawGrpc() {}

  /** Every method the client port serves under coord's own services. */
  static List<MethodDescriptor<?, ?>> allMethods() {
    List<MethodDescriptor<?, ?>> all = new ArrayList<>(CoordGrpc.getServiceDescriptor().getMethods());
    all.addAll(AdminGrpc.getServiceDescriptor().getMethods());
    return all;
  }

  static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> m) {
    return m.toBuilder(BYTES, BYTES).build();
  }

  /** A method the server does not have, of the given type. */
  static MethodDescriptor<byte[], byte[]> unknown(String service, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<byte[], byte[]>newBuilder(BYTES, BYTES)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, "NoSuchMethod"))
        .setType(type).build();
  }

  static byte[] unary(Channel ch, MethodDescriptor<byte[], byte[]> m, byte[] body, long deadlineMs) {
    return ClientCalls.blockingUnaryCall(ch, m,
        CallOptions.DEFAULT.withDeadlineAfter(deadlineMs, TimeUnit.MILLISECONDS), body);
  }

  /**
   * What a streaming call answered: its messages and how it ended ({@code ended} false: still open when
   * we gave up; {@code error} null: completed normally).
   */
  record StreamResult(List<byte[]> messages, boolean ended, Throwable error) {}

  /** Sends {@code frames} on a new call, half-closes, and collects the answers until the call ends. */
  static StreamResult stream(Channel ch, MethodDescriptor<byte[], byte[]> m, List<byte[]> frames, long waitMs)
      throws InterruptedException {
    List<byte[]> got = new ArrayList<>();
    Throwable[] error = {null};
    CountDownLatch done = new CountDownLatch(1);
    StreamObserver<byte[]> responses = new StreamObserver<>() {
      @Override
      public void onNext(byte[] value) {
        synchronized (got) {
          got.add(value);
        }
      }

      @Override
      public void onError(Throwable t) {
        error[0] = t;
        done.countDown();
      }

      @Override
      public void onCompleted() {
        done.countDown();
      }
    };
    var call = ch.newCall(m, CallOptions.DEFAULT.withDeadlineAfter(waitMs + 5_000, TimeUnit.MILLISECONDS));
    StreamObserver<byte[]> requests = m.getType() == MethodDescriptor.MethodType.BIDI_STREAMING
        ? ClientCalls.asyncBidiStreamingCall(call, responses)
        : ClientCalls.asyncClientStreamingCall(call, responses);
    try {
      for (byte[] f : frames) {
        requests.onNext(f);
      }
      requests.onCompleted();
    } catch (RuntimeException e) {
      // the call already ended (e.g. refused a frame): its status says why
    }
    boolean ended = done.await(waitMs, TimeUnit.MILLISECONDS);
    if (!ended) {
      call.cancel("fuzz: gave up waiting", null);
    }
    synchronized (got) {
      return new StreamResult(new ArrayList<>(got), ended, error[0]);
    }
  }
}
