package coord.server;

import static org.assertj.core.api.Assertions.assertThat;

import coord.api.Errors;
import coord.api.v1.ErrorCode;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class RaftErrorsTest {

  /** The member knows the new leader; moving on could land the client on the frozen former one. */
  @Test
  void aWriteWhoseLeaderChangedIsRetriedAtTheSameMember() {
    StatusRuntimeException s = RaftErrors.toStatus(
        new CompletionException(new RaftNode.LeaderChangedException("leader changed from 1 to 2")));
    assertThat(Errors.fromThrowable(s)).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(Errors.retryHere(s)).isTrue();
  }

  @Test
  void otherUnavailableFailuresLetTheClientMoveOn() {
    StatusRuntimeException s = RaftErrors.toStatus(new IOException("no leader within 3000 ms"));
    assertThat(Errors.fromThrowable(s)).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(Errors.retryHere(s)).isFalse();
  }
}
