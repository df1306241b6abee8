package coord.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import coord.api.v1.RequestId;
import org.junit.jupiter.api.Test;

class CallIdsTest {
  private final CallIds ids = new CallIds(ByteString.copyFromUtf8("client"));

  @Test
  void eachIdNamesTheCallsEndedSinceThePreviousOneBelowTheOldestStillRunning() {
    RequestId first = ids.next();
    RequestId second = ids.next();
    RequestId third = ids.next();
    assertThat(first.getCallId()).isEqualTo(1);
    assertThat(third.getCallId()).isEqualTo(3);
    assertThat(second.getForgetBelow()).isZero();
    assertThat(third.getForgetBelow()).isZero();

    ids.ended(2);
    assertThat(ids.next().getForgetBelow()).as("call 1 still runs").isZero();

    ids.ended(1);
    RequestId fifth = ids.next();
    assertThat(fifth.getForgetFrom()).isEqualTo(1);
    assertThat(fifth.getForgetBelow()).as("3 still runs").isEqualTo(3);

    ids.ended(3);
    ids.ended(4);
    RequestId sixth = ids.next();
    assertThat(sixth.getForgetFrom()).as("each range is named once").isEqualTo(3);
    assertThat(sixth.getForgetBelow()).isEqualTo(5);
    assertThat(ids.next().getForgetBelow()).isZero();
  }
}
