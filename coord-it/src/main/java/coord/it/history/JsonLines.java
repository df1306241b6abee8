package coord.it.history;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON-lines log of any record type, for the workloads whose records do not fit {@link Operation}
 * (sequential creates, watch events, sessions). Same rules as {@link HistoryWriter}: thread-safe, one
 * flushed line per record, unknown fields ignored when reading.
 */
public final class JsonLines implements Closeable {
  private final BufferedWriter out;

  private JsonLines(BufferedWriter out) {
    this.out = out;
  }

  /** Opens (creates or truncates) a log file. */
  public static JsonLines open(Path file) throws IOException {
    return new JsonLines(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
  }

  /** Appends one record and flushes. */
  public synchronized void append(Object record) throws IOException {
    out.write(HistoryWriter.MAPPER.writeValueAsString(record));
    out.write('\n');
    out.flush();
  }

  /** Reads every record of a log file, in file order; blank lines are skipped. */
  public static <T> List<T> read(Path file, Class<T> type) throws IOException {
    List<T> records = new ArrayList<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      try {
        records.add(HistoryWriter.MAPPER.readValue(line, type));
      } catch (IOException e) {
        throw new IOException(file.getFileName() + " line " + lineNo + ": " + e.getMessage(), e);
      }
    }
    return records;
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
