package coord.bench;

import java.util.concurrent.CompletableFuture;

/**
 * One benchmark operation, issued with the async client API. Called on the run's main thread at start,
 * then on the client's threads as earlier operations complete: it must not block.
 */
@FunctionalInterface
interface LoadOp {
  /**
   * Starts one operation on {@code client}. The future's value is ignored, except an {@link Arrival}: the
   * time the operation is deemed complete (a watch event's arrival), instead of the future's completion.
   */
  CompletableFuture<?> issue(BenchClient client);

  /** When an operation really completed, in {@link System#nanoTime()} units. */
  record Arrival(long nanos) {}
}
