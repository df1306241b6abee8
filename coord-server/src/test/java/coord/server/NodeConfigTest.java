package coord.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

  private static Properties minimal() {
    Properties p = new Properties();
    p.setProperty("dataDir", "/tmp/coord-config-test");
    p.setProperty("server.1", "127.0.0.1:2291:2281");
    return p;
  }

  @Test
  void writesGoOutOneEntryAtATimeByDefault() {
    assertThat(NodeConfig.fromProperties(minimal(), 1).writeEntriesInFlight()).isEqualTo(1);
  }

  @Test
  void writeEntriesInFlightCanBeRaised() {
    Properties p = minimal();
    p.setProperty("writeEntriesInFlight", "4");
    assertThat(NodeConfig.fromProperties(p, 1).writeEntriesInFlight()).isEqualTo(4);
  }

  @Test
  void writeEntriesInFlightBelowOneIsRefused() {
    Properties p = minimal();
    p.setProperty("writeEntriesInFlight", "0");
    assertThatThrownBy(() -> NodeConfig.fromProperties(p, 1))
        .isInstanceOf(NodeConfig.ConfigException.class)
        .hasMessage("writeEntriesInFlight must be at least 1, got 0");
  }

  @Test
  void raftKeysPassThrough() {
    Properties p = minimal();
    p.setProperty("raft.server.log.appender.wait-time.min", "0ms");
    assertThat(NodeConfig.fromProperties(p, 1).raftProperties())
        .containsEntry("raft.server.log.appender.wait-time.min", "0ms");
  }
}
