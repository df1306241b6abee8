package coord.it.workload;

import coord.api.v1.CreateMode;
import coord.api.v1.ErrorCode;
import coord.client.CoordClient;
import coord.client.CoordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Builds the workloads' clients and runs the bounded retries of set-up and final reads. */
final class Clients {
  /** How long set-up and final reads keep retrying: long enough for a restarted cluster to elect. */
  static final Duration SETTLE = Duration.ofSeconds(60);

  private Clients() {}

  /**
   * A client pinned to member {@code member % n}: that member's endpoint first, the others after it in
   * member order, so that the client talks to it until it fails and then fails over.
   */
  static CoordClient pinned(WorkloadContext ctx, int member) {
    return builder(ctx, rotate(ctx.endpoints(), member)).build();
  }

  /** A client over {@code endpoints} with the context's op timeout. */
  static CoordClient.Builder builder(WorkloadContext ctx, List<String> endpoints) {
    Duration op = ctx.opTimeout();
    return CoordClient.builder()
        .endpoints(endpoints)
        .requestTimeout(op)
        .attemptTimeout(op.dividedBy(2).isZero() ? op : op.dividedBy(2));
  }

  static List<String> rotate(List<String> endpoints, int first) {
    List<String> out = new ArrayList<>();
    int n = endpoints.size();
    for (int i = 0; i < n; i++) {
      out.add(endpoints.get((first + i) % n));
    }
    return out;
  }

  /**
   * Runs {@code call} until it succeeds or fails definitely, for at most {@link #SETTLE}: for set-up
   * and the final reads, which must not give up on a cluster that is still electing after a restart.
   */
  static <T> T settle(String what, Supplier<T> call) throws InterruptedException {
    long deadline = System.nanoTime() + SETTLE.toNanos();
    CoordException last = null;
    while (System.nanoTime() < deadline) {
      Call<T> c = Call.run(call);
      if (c.ok()) {
        return c.value();
      }
      if (c.definiteFailure()) {
        throw c.error();
      }
      last = c.error();
      Thread.sleep(200);
    }
    throw new CoordException(ErrorCode.UNAVAILABLE, null, what + ": no answer within " + SETTLE, last);
  }

  /** Creates each path of {@code paths} (parents first) unless it exists. */
  static void ensurePaths(CoordClient client, String... paths) throws InterruptedException {
    for (String path : paths) {
      try {
        settle("create " + path, () -> client.create(path, new byte[0], CreateMode.PERSISTENT));
      } catch (CoordException e) {
        if (e.code() != ErrorCode.NODE_EXISTS) {
          throw e;
        }
      }
    }
  }
}
