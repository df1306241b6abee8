package coord.it.history;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Appends operations to a JSON-lines history, one {@link Operation} per line.
 *
 * <p>Thread-safe: recording clients on several threads may share one writer. Each line is flushed
 * so that a crashed run leaves a readable prefix. The writer owns the underlying stream.
 */
public final class HistoryWriter implements Closeable {
  /** Shared mapper; unknown fields are ignored so that later recorders may add fields (zxid, server). */
  static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final Writer out;

  public HistoryWriter(Writer out) {
    this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out);
  }

  /** Opens (creates or truncates) a history file. */
  public static HistoryWriter open(Path file) throws IOException {
    return new HistoryWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
  }

  /** Writes a whole history to a file. */
  public static void write(Path file, List<Operation> history) throws IOException {
    try (HistoryWriter w = open(file)) {
      for (Operation op : history) {
        w.append(op);
      }
    }
  }

  /** Encodes one operation as a single JSON line, without the newline. */
  public static String toJson(Operation op) {
    try {
      return MAPPER.writeValueAsString(op);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends one operation and flushes. */
  public synchronized void append(Operation op) throws IOException {
    out.write(toJson(op));
    out.write('\n');
    out.flush();
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
