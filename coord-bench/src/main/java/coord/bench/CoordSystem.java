package coord.bench;

import coord.api.v1.ErrorCode;
import coord.client.CoordClient;
import coord.client.CoordException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** coord itself, through its Java client ({@link CoordClient}). */
final class CoordSystem implements BenchSystem {
  static final String NAME = "coord";
  static final String ENDPOINTS_ENV = "COORD_ENDPOINTS";
  static final String DEFAULT_ENDPOINTS = "127.0.0.1:2281,127.0.0.1:2282,127.0.0.1:2283";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> defaultEndpoints(Map<String, String> env) {
    String fromEnv = env.get(ENDPOINTS_ENV);
    String eps = fromEnv != null && !fromEnv.isBlank() ? fromEnv : DEFAULT_ENDPOINTS;
    return Arrays.stream(eps.split(",")).map(String::trim).filter(e -> !e.isEmpty()).toList();
  }

  @Override
  public BenchClient connect(List<String> endpoints, Duration requestTimeout) {
    return new CoordBenchClient(CoordClient.builder().endpoints(endpoints).requestTimeout(requestTimeout).build());
  }

  @Override
  public String errorName(Throwable failure) {
    return CoordException.fromThrowable(failure).code().name();
  }

  @Override
  public boolean isUnavailable(Throwable failure) {
    ErrorCode code = CoordException.fromThrowable(failure).code();
    return code == ErrorCode.UNAVAILABLE || code == ErrorCode.TIMEOUT;
  }
}
