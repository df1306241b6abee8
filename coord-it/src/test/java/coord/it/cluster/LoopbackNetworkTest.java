package coord.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopbackNetworkTest {
  @Test
  void noPortIsHandedOutTwice() {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      assertThat(seen.add(LoopbackNetwork.freePort())).as("port handed out twice").isTrue();
    }
  }
}
