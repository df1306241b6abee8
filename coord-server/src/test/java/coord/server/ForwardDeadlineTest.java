package coord.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The deadline on calls through a Raft client, which frees a write batcher slot a stuck call holds. */
class ForwardDeadlineTest {
  private final ScheduledExecutorService timer = RaftNode.newDeadlineTimer();
  private final List<IOException> expired = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  @Test
  void aCallWithoutAnswerFailsAsUnknownAndRunsTheExpiryOnce() {
    CompletableFuture<String> result = new CompletableFuture<>();
    RaftNode.expireAfter(result, 50, timer, () -> "no answer from 2: the outcome is unknown", expired::add);

    assertThatThrownBy(() -> result.get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(IOException.class).hasMessage("no answer from 2: the outcome is unknown");
    // the expiry runs on the timer thread right after it failed the call, which wakes this thread first
    await().atMost(Duration.ofSeconds(30)).until(() -> !expired.isEmpty());
    assertThat(expired).hasSize(1).allSatisfy(e -> assertThat(e).isSameAs(result.handle((r, t) -> t).join()));
    // the late answer changes nothing
    assertThat(result.complete("late")).isFalse();
    assertThat(expired).hasSize(1);
  }

  @Test
  void anAnswerInTimeKeepsItsValueAndCancelsTheDeadline() throws Exception {
    CompletableFuture<String> result = new CompletableFuture<>();
    RaftNode.expireAfter(result, TimeUnit.HOURS.toMillis(1), timer, () -> "unused", expired::add);
    assertThat(((ScheduledThreadPoolExecutor) timer).getQueue()).hasSize(1);

    result.complete("reply");

    assertThat(result.get()).isEqualTo("reply");
    // nothing is left scheduled: thousands of calls a second do not pile up in the timer
    assertThat(((ScheduledThreadPoolExecutor) timer).getQueue()).isEmpty();
    assertThat(expired).isEmpty();
  }

  @Test
  void aFailureInTimeIsTheCallersOwn() {
    CompletableFuture<String> result = new CompletableFuture<>();
    RaftNode.expireAfter(result, TimeUnit.HOURS.toMillis(1), timer, () -> "unused", expired::add);

    result.completeExceptionally(new IOException("leader changed"));

    assertThatThrownBy(result::join).cause().hasMessage("leader changed");
    assertThat(((ScheduledThreadPoolExecutor) timer).getQueue()).isEmpty();
    assertThat(expired).isEmpty();
  }
}
