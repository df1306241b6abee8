package coord.it.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coord.it.cluster.ClusterSpec.NetworkMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunConfigTest {
  private static final Path DIR = Path.of("/tmp/run");

  @Test
  void parsesEveryOption() {
    RunConfig c = RunConfig.parse(new String[] {"--minutes", "30", "--seed", "42", "--failpoint", "stale-reads",
        "--network", "loopback", "--faults", "kill-leader, bridge", "--hold-seconds", "5", "--rest-seconds", "3",
        "--clock", "--run-dir", "/tmp/x"}, DIR);
    assertThat(c.faultTime()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.seed()).isEqualTo(42);
    assertThat(c.failpoint()).isEqualTo("stale-reads");
    assertThat(c.network()).isEqualTo(NetworkMode.LOOPBACK);
    assertThat(c.faults()).containsExactly("kill-leader", "bridge");
    assertThat(c.hold()).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.rest()).isEqualTo(Duration.ofSeconds(3));
    assertThat(c.clock()).isTrue();
    assertThat(c.runDir()).isEqualTo(Path.of("/tmp/x"));
  }

  @Test
  void defaultsWithoutOptions() {
    RunConfig c = RunConfig.parse(new String[0], DIR);
    assertThat(c.faultTime()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.failpoint()).isNull();
    assertThat(c.network()).isEqualTo(NetworkMode.AUTO);
    assertThat(c.faults()).isEmpty();
    assertThat(c.clock()).isFalse();
    assertThat(c.runDir()).isEqualTo(DIR);
  }

  @Test
  void rejectsBadOptions() {
    assertThatThrownBy(() -> RunConfig.parse(new String[] {"--minutes"}, DIR))
        .isInstanceOf(RunConfig.UsageException.class).hasMessage("--minutes needs a value");
    assertThatThrownBy(() -> RunConfig.parse(new String[] {"--minutes", "0"}, DIR))
        .isInstanceOf(RunConfig.UsageException.class).hasMessageContaining("positive");
    assertThatThrownBy(() -> RunConfig.parse(new String[] {"--seed", "x"}, DIR))
        .isInstanceOf(RunConfig.UsageException.class).hasMessageContaining("number");
    assertThatThrownBy(() -> RunConfig.parse(new String[] {"--network", "docker"}, DIR))
        .isInstanceOf(RunConfig.UsageException.class).hasMessageContaining("auto, loopback, netns or proxy");
    assertThatThrownBy(() -> RunConfig.parse(new String[] {"--bogus"}, DIR))
        .isInstanceOf(RunConfig.UsageException.class).hasMessageContaining("unknown option '--bogus'");
  }

  @Test
  void withersKeepTheRest() {
    RunConfig c = RunConfig.defaults(DIR, Duration.ofSeconds(10), 1).withFailpoint("drop-watch-event")
        .withFaults(List.of("loss")).withNetwork(NetworkMode.NETNS);
    assertThat(c.failpoint()).isEqualTo("drop-watch-event");
    assertThat(c.faults()).containsExactly("loss");
    assertThat(c.network()).isEqualTo(NetworkMode.NETNS);
    assertThat(c.seed()).isEqualTo(1);
  }
}
