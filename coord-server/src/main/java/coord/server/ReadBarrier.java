package coord.server;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Lets concurrent linearizable reads share ReadIndex rounds. A read waits for a round that started
 * after it arrived; when that round ends, this member has applied everything committed before the
 * read arrived, so answering from the local replica is linearizable. Under load one round serves
 * every read that queued while the previous rounds were out, instead of one round per read.
 */
final class ReadBarrier {
  private final Supplier<CompletableFuture<?>> readIndexRound;
  private final int maxRoundsInFlight;

  private List<CompletableFuture<Void>> waiting = new ArrayList<>();
  private int roundsInFlight;

  /**
   * @param readIndexRound starts one ReadIndex round; completes once this member applied up to the
   *     index the round obtained
   */
  ReadBarrier(Supplier<CompletableFuture<?>> readIndexRound, int maxRoundsInFlight) {
    this.readIndexRound = readIndexRound;
    this.maxRoundsInFlight = maxRoundsInFlight;
  }

  /** Completes when a round that started after this call has ended; fails as that round fails. */
  CompletableFuture<Void> await() {
    CompletableFuture<Void> passed = new CompletableFuture<>();
    List<CompletableFuture<Void>> group;
    synchronized (this) {
      waiting.add(passed);
      group = takeGroupIfRoomForRound();
    }
    if (group != null) {
      startRound(group);
    }
    return passed;
  }

  // Caller holds the lock.
  private List<CompletableFuture<Void>> takeGroupIfRoomForRound() {
    if (waiting.isEmpty() || roundsInFlight >= maxRoundsInFlight) {
      return null;
    }
    List<CompletableFuture<Void>> group = waiting;
    waiting = new ArrayList<>();
    roundsInFlight++;
    return group;
  }

  private void startRound(List<CompletableFuture<Void>> group) {
    CompletableFuture<?> round;
    try {
      round = readIndexRound.get();
    } catch (RuntimeException e) {
      round = CompletableFuture.failedFuture(e);
    }
    round.whenComplete((ignored, err) -> {
      for (CompletableFuture<Void> read : group) {
        if (err == null) {
          read.complete(null);
        } else {
          read.completeExceptionally(err);
        }
      }
      List<CompletableFuture<Void>> next;
      synchronized (this) {
        roundsInFlight--;
        next = takeGroupIfRoomForRound();
      }
      if (next != null) {
        startRound(next);
      }
    });
  }
}
