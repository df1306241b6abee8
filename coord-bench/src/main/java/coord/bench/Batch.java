package coord.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Runs many coord-bench runs one after another in one JVM, so that the load generator's own JIT warm-up
 * (gRPC, Netty and protobuf are a lot of code) happens once, during the first run, instead of inside every
 * measured run. {@code bench/compare.sh} uses it; people run {@link Main}.
 *
 * <p>Reads lines {@code OUT_FILE ARG...} (whitespace-separated, no quoting) from its input. For each it
 * prints {@code start OUT_FILE}, runs {@code coord-bench ARG...} with the result going to OUT_FILE and
 * progress to this process's stderr, then prints {@code done OUT_FILE EXIT_CODE}. Blank lines and lines
 * starting with {@code #} are skipped. Exits 0 after the last line, whatever the runs' exit codes.
 */
public final class Batch {
  private Batch() {}

  public static void main(String[] args) throws IOException {
    PrintWriter events = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    run(in, events, err, System.getenv());
    System.exit(0);
  }

  /** Runs every line of {@code in}; returns how many runs ended with an exit code other than 0. */
  static int run(BufferedReader in, PrintWriter events, PrintWriter err, Map<String, String> env)
      throws IOException {
    int failed = 0;
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] words = trimmed.split("\\s+");
      Path outFile = Path.of(words[0]);
      events.println("start " + outFile);
      int exit;
      try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(outFile, StandardCharsets.UTF_8))) {
        exit = Main.run(out, err, env, Arrays.copyOfRange(words, 1, words.length));
      }
      events.println("done " + outFile + " " + exit);
      if (exit != 0) {
        failed++;
      }
    }
    return failed;
  }
}
