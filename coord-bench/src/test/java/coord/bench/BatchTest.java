package coord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchTest {
  @TempDir Path dir;

  @Test
  void runsEveryLineInTurnAndReportsEachExitCode() throws Exception {
    Path version = dir.resolve("version.txt");
    Path bad = dir.resolve("bad.json");
    String lines = "# a comment\n\n"
        + version + " --version\n"
        + bad + " write --clients 0\n";
    StringWriter events = new StringWriter();
    StringWriter err = new StringWriter();

    int failed = Batch.run(new BufferedReader(new StringReader(lines)), new PrintWriter(events, true),
        new PrintWriter(err, true), Map.of());

    assertThat(failed).isEqualTo(1);
    assertThat(events.toString().lines()).containsExactly(
        "start " + version, "done " + version + " 0", "start " + bad, "done " + bad + " 2");
    assertThat(Files.readString(version, StandardCharsets.UTF_8)).startsWith("coord-bench ");
    assertThat(Files.readString(bad, StandardCharsets.UTF_8)).isEmpty();
    assertThat(err.toString()).contains("--clients must be 1..1000");
  }
}
