package coord.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ReadBarrierTest {
  private final List<CompletableFuture<Object>> rounds = new ArrayList<>();
  private final ReadBarrier barrier = new ReadBarrier(this::newRound, 1);

  private CompletableFuture<?> newRound() {
    CompletableFuture<Object> round = new CompletableFuture<>();
    rounds.add(round);
    return round;
  }

  @Test
  void aLoneReadStartsItsOwnRound() {
    CompletableFuture<Void> read = barrier.await();
    assertThat(rounds).hasSize(1);
    assertThat(read).isNotDone();
    rounds.get(0).complete(null);
    assertThat(read).isCompleted();
  }

  @Test
  void aReadArrivingDuringARoundWaitsForTheNextOne() {
    CompletableFuture<Void> first = barrier.await();
    CompletableFuture<Void> late1 = barrier.await();
    CompletableFuture<Void> late2 = barrier.await();
    assertThat(rounds).hasSize(1);

    rounds.get(0).complete(null);
    assertThat(first).isCompleted();
    assertThat(late1).isNotDone();
    assertThat(late2).isNotDone();
    assertThat(rounds).as("the late reads share one new round").hasSize(2);

    rounds.get(1).complete(null);
    assertThat(late1).isCompleted();
    assertThat(late2).isCompleted();
    assertThat(rounds).hasSize(2);
  }

  @Test
  void aFailedRoundFailsItsReadsOnlyAndTheNextRoundStillRuns() {
    CompletableFuture<Void> first = barrier.await();
    CompletableFuture<Void> late = barrier.await();
    rounds.get(0).completeExceptionally(new IllegalStateException("no leader"));
    assertThat(first).isCompletedExceptionally();
    assertThat(late).isNotDone();
    rounds.get(1).complete(null);
    assertThat(late).isCompleted();
  }

  @Test
  void aRoundThatCannotStartFailsItsReads() {
    ReadBarrier broken = new ReadBarrier(() -> {
      throw new IllegalStateException("closed");
    }, 2);
    assertThat(broken.await()).isCompletedExceptionally();
    assertThat(broken.await()).as("no round stays counted").isCompletedExceptionally();
  }
}
