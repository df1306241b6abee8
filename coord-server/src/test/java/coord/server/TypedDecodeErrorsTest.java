package coord.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import coord.api.Errors;
import coord.api.v1.CoordGrpc;
import coord.api.v1.ErrorCode;
import coord.api.v1.GetDataRequest;
import coord.api.v1.GetDataResponse;
import coord.api.v1.WatchRequest;
import coord.api.v1.WatchResponse;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TypedDecodeErrorsTest {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
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
  /** A length-delimited field that claims 100 bytes and has 1: no message decodes from it. */
  private static final byte[] TRUNCATED = {0x0a, 100, 'x'};

  private final AtomicBoolean watchSawCancel = new AtomicBoolean();
  private Server server;
  private ManagedChannel channel;

  /** Answers GetData for any path; its Watch stream records being cancelled. */
  private final class FixedService extends CoordGrpc.CoordImplBase {
    @Override
    public void getData(GetDataRequest req, StreamObserver<GetDataResponse> out) {
      out.onNext(GetDataResponse.newBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8(req.getPath()))
          .build());
      out.onCompleted();
    }

    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> out) {
      return new StreamObserver<>() {
        @Override
        public void onNext(WatchRequest value) {
          out.onNext(WatchResponse.newBuilder().setWatchId(value.getAdd().getWatchId()).setAdded(true).build());
        }

        @Override
        public void onError(Throwable t) {
          watchSawCancel.set(true);
        }

        @Override
        public void onCompleted() {
          out.onCompleted();
        }
      };
    }
  }

  @BeforeEach
  void start() throws IOException {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(TypedDecodeErrors.wrap(new FixedService())).build().start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  private static MethodDescriptor<byte[], byte[]> raw(MethodDescriptor<?, ?> m) {
    return m.toBuilder(BYTES, BYTES).build();
  }

  @Test
  void aRequestThatDoesNotDecodeGetsATypedInvalidArgument() {
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, raw(CoordGrpc.getGetDataMethod()),
        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), TRUNCATED))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(Errors.fromThrowable(e)).isEqualTo(ErrorCode.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).contains("coord.v1.Coord/GetData");
        });
  }

  @Test
  void wellFormedRequestsAreServedAsBefore() {
    GetDataResponse r = CoordGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
        .getData(GetDataRequest.newBuilder().setPath("/x").build());
    assertThat(r.getData().toStringUtf8()).isEqualTo("/x");
  }

  @Test
  void aStreamWithAFrameThatDoesNotDecodeEndsTypedAndTheServiceCleansUp() throws Exception {
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    var call = channel.newCall(raw(CoordGrpc.getWatchMethod()), CallOptions.DEFAULT.withDeadlineAfter(10,
        TimeUnit.SECONDS));
    StreamObserver<byte[]> requests = ClientCalls.asyncBidiStreamingCall(call, new StreamObserver<>() {
      @Override
      public void onNext(byte[] value) {}

      @Override
      public void onError(Throwable t) {
        ended.complete(t);
      }

      @Override
      public void onCompleted() {
        ended.complete(null);
      }
    });
    requests.onNext(WatchRequest.getDefaultInstance().toByteArray());
    requests.onNext(TRUNCATED);
    Throwable t = ended.get(10, TimeUnit.SECONDS);
    assertThat(t).isNotNull();
    assertThat(Status.fromThrowable(t).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(Errors.fromThrowable(t)).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    await().atMost(Duration.ofSeconds(10)).untilTrue(watchSawCancel);
  }
}
