package coord.server;

import coord.api.Errors;
import coord.api.v1.ErrorCode;
import io.grpc.BindableService;
import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a request that does not decode (truncated or garbage protobuf) fail with coord's typed
 * INVALID_ARGUMENT. grpc-java decodes requests before any interceptor and answers a decoding failure with
 * an untyped UNKNOWN ("Application error processing RPC"); here each method receives the raw stream and
 * decodes it itself, inside the call, where the failure can be answered properly.
 */
final class TypedDecodeErrors {
  private static final Logger LOG = LoggerFactory.getLogger(TypedDecodeErrors.class);

  /** Hands the transport's stream through; it is decoded (and consumed) inside {@code onMessage}. */
  private static final MethodDescriptor.Marshaller<InputStream> RAW = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(InputStream value) {
      return value;
    }

    @Override
    public InputStream parse(InputStream stream) {
      return stream;
    }
  };

  private TypedDecodeErrors() {}

  /** {@code service}'s definition, with every method decoding its requests as described above. */
  static ServerServiceDefinition wrap(BindableService service) {
    ServerServiceDefinition original = service.bindService();
    ServiceDescriptor desc = original.getServiceDescriptor();
    List<ServerMethodDefinition<InputStream, ?>> methods = new ArrayList<>();
    ServiceDescriptor.Builder rawDesc = ServiceDescriptor.newBuilder(desc.getName())
        .setSchemaDescriptor(desc.getSchemaDescriptor());
    for (ServerMethodDefinition<?, ?> m : original.getMethods()) {
      ServerMethodDefinition<InputStream, ?> raw = rawMethod(m);
      methods.add(raw);
      rawDesc.addMethod(raw.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(rawDesc.build());
    methods.forEach(b::addMethod);
    return b.build();
  }

  private static <Q, R> ServerMethodDefinition<InputStream, R> rawMethod(ServerMethodDefinition<Q, R> m) {
    MethodDescriptor<Q, R> typed = m.getMethodDescriptor();
    MethodDescriptor<InputStream, R> raw = typed.toBuilder(RAW, typed.getResponseMarshaller()).build();
    ServerCallHandler<Q, R> handler = m.getServerCallHandler();
    return ServerMethodDefinition.create(raw, (call, headers) -> new Decoding<>(call, headers, typed, handler));
  }

  /** The listener of one call: decodes each request, or ends the call with a typed error. */
  private static final class Decoding<Q, R> extends ServerCall.Listener<InputStream> {
    private final ServerCall<InputStream, R> call;
    private final MethodDescriptor<Q, R> typed;
    private final ClosableCall<Q, R> forApp;
    private final ServerCall.Listener<Q> app;
    private boolean failed; // listener callbacks are serialised by gRPC

    Decoding(ServerCall<InputStream, R> call, Metadata headers, MethodDescriptor<Q, R> typed,
        ServerCallHandler<Q, R> handler) {
      this.call = call;
      this.typed = typed;
      this.forApp = new ClosableCall<>(call, typed);
      this.app = handler.startCall(forApp, headers);
    }

    @Override
    public void onMessage(InputStream message) {
      if (failed) {
        return;
      }
      Q request;
      try {
        request = typed.parseRequest(message);
      } catch (StatusRuntimeException | IllegalArgumentException e) {
        failed = true;
        LOG.debug("{}: request does not decode: {}", typed.getFullMethodName(), e.toString());
        StatusRuntimeException typedError = Errors.toStatusException(ErrorCode.INVALID_ARGUMENT,
            "the request does not decode as " + typed.getFullMethodName() + ": " + rootMessage(e), null);
        forApp.closeOnce(typedError.getStatus(), Status.trailersFromThrowable(typedError));
        app.onCancel(); // the application's view: the client went away, so it cleans up
        return;
      }
      app.onMessage(request);
    }

    @Override
    public void onHalfClose() {
      if (!failed) {
        app.onHalfClose();
      }
    }

    @Override
    public void onCancel() {
      if (!failed) {
        app.onCancel();
      }
    }

    @Override
    public void onComplete() {
      if (!failed) {
        app.onComplete();
      }
    }

    @Override
    public void onReady() {
      if (!failed) {
        app.onReady();
      }
    }

    private static String rootMessage(Throwable e) {
      Throwable c = e;
      while (c.getCause() != null) {
        c = c.getCause();
      }
      return String.valueOf(c.getMessage());
    }
  }

  /** The call as the application sees it: typed requests; closes it at most once. */
  private static final class ClosableCall<Q, R> extends ForwardingServerCall<Q, R> {
    private final ServerCall<InputStream, R> raw;
    private final MethodDescriptor<Q, R> typed;
    private boolean closed; // guarded by this

    ClosableCall(ServerCall<InputStream, R> raw, MethodDescriptor<Q, R> typed) {
      this.raw = raw;
      this.typed = typed;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected ServerCall<Q, R> delegate() {
      return (ServerCall<Q, R>) (ServerCall<?, R>) raw;
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return typed;
    }

    @Override
    public synchronized void sendMessage(R message) {
      if (!closed) {
        raw.sendMessage(message);
      }
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      closeOnce(status, trailers);
    }

    synchronized void closeOnce(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        raw.close(status, trailers);
      }
    }
  }
}
