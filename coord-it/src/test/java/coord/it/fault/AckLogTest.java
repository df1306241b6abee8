package coord.it.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AckLogTest {

  @Test
  void firstAckCalledAtOrAfterAGivenTime() {
    AckLog log = new AckLog();
    log.add(10, 15);
    log.add(20, 40);
    log.add(41, 42);
    assertThat(log.firstAfter(0)).hasValue(15);
    assertThat(log.firstAfter(10)).hasValue(15);
    assertThat(log.firstAfter(11)).hasValue(40);
    assertThat(log.firstAfter(41)).hasValue(42);
    assertThat(log.firstAfter(42)).isEmpty();
  }

  @Test
  void rejectsOutOfOrderCalls() {
    AckLog log = new AckLog();
    log.add(10, 15);
    assertThatThrownBy(() -> log.add(5, 20)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void awaitReturnsOnceAWriteIsAcknowledged() throws Exception {
    AckLog log = new AckLog();
    CompletableFuture<OptionalLong> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return log.awaitFirstAfter(100, Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    log.add(50, 60);
    log.add(100, 130);
    assertThat(waiting.get(30, TimeUnit.SECONDS)).hasValue(130);
  }

  @Test
  void awaitGivesUpAfterTheTimeout() throws Exception {
    assertThat(new AckLog().awaitFirstAfter(0, Duration.ofMillis(50))).isEmpty();
  }
}
