package coord.it.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a JSON-lines history written by {@link HistoryWriter}. Blank lines are skipped. */
public final class HistoryReader {
  private HistoryReader() {}

  /** Reads every operation of a history file, in file order. */
  public static List<Operation> read(Path file) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(r);
    }
  }

  /** Reads every operation from a reader, in order; does not close it. */
  public static List<Operation> read(Reader reader) throws IOException {
    BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
    List<Operation> ops = new ArrayList<>();
    String line;
    int lineNo = 0;
    while ((line = in.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      try {
        ops.add(fromJson(line));
      } catch (IOException | IllegalArgumentException e) {
        throw new IOException("history line " + lineNo + ": " + e.getMessage(), e);
      }
    }
    return ops;
  }

  /** Decodes one JSON line. */
  public static Operation fromJson(String line) throws IOException {
    return HistoryWriter.MAPPER.readValue(line, Operation.class);
  }
}
