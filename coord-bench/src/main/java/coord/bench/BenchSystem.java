package coord.bench;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A system {@code coord-bench} can load ({@code --system NAME}): coord itself ({@link CoordSystem}), and,
 * from the coord-bench-peers module found through {@link java.util.ServiceLoader}, Apache ZooKeeper and
 * etcd. Every system runs the same workloads through the same load generator and meter.
 */
public interface BenchSystem {
  /** The name given to {@code --system}. */
  String name();

  /** The endpoints used when {@code --endpoints} is not given. */
  List<String> defaultEndpoints(Map<String, String> env);

  /**
   * Connects one client that talks to {@code endpoints.get(0)} while it is up (the others are for
   * failover, in that order).
   *
   * @param requestTimeout budget of each call; a call not done by then fails
   */
  BenchClient connect(List<String> endpoints, Duration requestTimeout);

  /** The short name of a failure, e.g. {@code UNAVAILABLE}, {@code CONNECTIONLOSS}: the key of the error counts. */
  String errorName(Throwable failure);

  /** Whether a setup failure means the system cannot be reached (exit code 5) rather than another error. */
  boolean isUnavailable(Throwable failure);
}
