package coord.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node sizes the JDK common pool so that it never runs a thread per task. */
class CommonPoolSizeTest {
  private String saved;

  @BeforeEach
  void save() {
    saved = System.getProperty(CoordNode.COMMON_POOL_PARALLELISM);
  }

  @AfterEach
  void restore() {
    if (saved == null) {
      System.clearProperty(CoordNode.COMMON_POOL_PARALLELISM);
    } else {
      System.setProperty(CoordNode.COMMON_POOL_PARALLELISM, saved);
    }
  }

  @Test
  void atLeastTwoWhenUnset() {
    System.clearProperty(CoordNode.COMMON_POOL_PARALLELISM);
    CoordNode.sizeCommonPool();
    assertThat(Integer.parseInt(System.getProperty(CoordNode.COMMON_POOL_PARALLELISM))).isGreaterThanOrEqualTo(2);
  }

  @Test
  void anOperatorsSettingWins() {
    System.setProperty(CoordNode.COMMON_POOL_PARALLELISM, "1");
    CoordNode.sizeCommonPool();
    assertThat(System.getProperty(CoordNode.COMMON_POOL_PARALLELISM)).isEqualTo("1");
  }
}
