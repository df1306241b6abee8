package coord.bench.peers;

import coord.bench.BenchClient;
import coord.bench.BenchSystem;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * etcd (v3 API) through jetcd, one {@link Client} (its own gRPC channel) per benchmark client. Keys are
 * the znode paths, e.g. {@code /bench/key-7}.
 */
public final class EtcdSystem implements BenchSystem {
  public static final String NAME = "etcd";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> defaultEndpoints(Map<String, String> env) {
    return List.of("127.0.0.1:2379");
  }

  @Override
  public BenchClient connect(List<String> endpoints, Duration requestTimeout) {
    // pick_first over the endpoints in the order given: the client talks to the first while it is up
    Client client = Client.builder()
        .endpoints(endpoints.stream().map(e -> "http://" + e).toArray(String[]::new))
        .loadBalancerPolicy("pick_first")
        .connectTimeout(requestTimeout)
        .build();
    return new EtcdBenchClient(client, requestTimeout);
  }

  @Override
  public String errorName(Throwable failure) {
    if (failure instanceof EtcdBenchClient.KeyExistsException) {
      return "KEY_EXISTS";
    }
    if (failure instanceof EtcdException e) {
      return e.getErrorCode().name();
    }
    if (failure instanceof StatusRuntimeException e) {
      return e.getStatus().getCode().name();
    }
    if (failure instanceof TimeoutException) {
      return "TIMEOUT";
    }
    return failure.getClass().getSimpleName();
  }

  @Override
  public boolean isUnavailable(Throwable failure) {
    if (failure instanceof EtcdException e) {
      return e.getErrorCode() == ErrorCode.UNAVAILABLE || e.getErrorCode() == ErrorCode.DEADLINE_EXCEEDED;
    }
    if (failure instanceof StatusRuntimeException e) {
      Status.Code c = e.getStatus().getCode();
      return c == Status.Code.UNAVAILABLE || c == Status.Code.DEADLINE_EXCEEDED;
    }
    return failure instanceof TimeoutException;
  }
}
