package coord.it.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryJsonTest {
  private static final List<Operation> HISTORY = List.of(
      new Operation(1, OpType.CREATE, "/a", new Input("x", null), Outcome.okVersion(0), 10L, 20L),
      new Operation(2, OpType.SET, "/a", new Input("y", 0), Outcome.fail("BAD_VERSION"), 15L, 25L),
      new Operation(3, OpType.DELETE, "/a", new Input(null, -1), Outcome.indeterminate(), 30L, null),
      new Operation(1, OpType.GET, "/a", Input.NONE, Outcome.okValue("x", 0), 40L, 50L),
      new Operation(2, OpType.GET, "/b", Input.NONE, Outcome.okAbsent(), 41L, 51L));

  @Test
  void roundTripsThroughAFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("history.jsonl");
    HistoryWriter.write(file, HISTORY);
    assertThat(Files.readAllLines(file)).hasSize(HISTORY.size());
    assertThat(HistoryReader.read(file)).isEqualTo(HISTORY);
  }

  @Test
  void appendsLineByLine(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("history.jsonl");
    try (HistoryWriter w = HistoryWriter.open(file)) {
      w.append(HISTORY.get(0));
      // flushed per line: a crashed run leaves a readable prefix
      assertThat(HistoryReader.read(file)).containsExactly(HISTORY.get(0));
      w.append(HISTORY.get(1));
    }
    assertThat(HistoryReader.read(file)).containsExactly(HISTORY.get(0), HISTORY.get(1));
  }

  @Test
  void lineFormatIsCompactAndStable() {
    assertThat(HistoryWriter.toJson(HISTORY.get(1))).isEqualTo(
        "{\"process\":2,\"op\":\"SET\",\"path\":\"/a\",\"input\":{\"value\":\"y\",\"version\":0},"
            + "\"outcome\":{\"status\":\"FAIL\",\"error\":\"BAD_VERSION\"},"
            + "\"callNanos\":15,\"returnNanos\":25}");
    assertThat(HistoryWriter.toJson(HISTORY.get(2)))
        .contains("\"outcome\":{\"status\":\"INDETERMINATE\"}")
        .doesNotContain("returnNanos");
  }

  @Test
  void readsHandWrittenLinesAndIgnoresUnknownFields() throws IOException {
    String text = """
        {"process":7,"op":"GET","path":"/k","outcome":{"status":"OK","value":"v","version":3,"exists":true},"callNanos":1,"returnNanos":2,"zxid":99}

        {"process":7,"op":"SET","path":"/k","input":{"value":"w"},"outcome":{"status":"INDETERMINATE"},"callNanos":3}
        """;
    List<Operation> ops = HistoryReader.read(new StringReader(text));
    assertThat(ops).hasSize(2);
    assertThat(ops.get(0).outcome()).isEqualTo(Outcome.okValue("v", 3));
    assertThat(ops.get(0).input()).isEqualTo(Input.NONE);
    assertThat(ops.get(1).isIndeterminate()).isTrue();
    assertThat(ops.get(1).returnNanos()).isNull();
    assertThat(ops.get(1).input().expectedVersion()).isEqualTo(-1);
  }

  @Test
  void rejectsInvalidLinesWithTheirLineNumber() {
    String missingReturn =
        "{\"process\":1,\"op\":\"GET\",\"path\":\"/a\",\"outcome\":{\"status\":\"OK\"},\"callNanos\":1}\n";
    assertThatThrownBy(() -> HistoryReader.read(new StringReader("\n" + missingReturn)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("returnNanos");
    String failWithoutError =
        "{\"process\":1,\"op\":\"GET\",\"path\":\"/a\",\"outcome\":{\"status\":\"FAIL\"},"
            + "\"callNanos\":1,\"returnNanos\":2}";
    assertThatThrownBy(() -> HistoryReader.read(new StringReader(failWithoutError)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("error code");
  }
}
