package coord.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs {@code coord} in-process against given endpoints and captures what it prints. */
final class Cli {
  private final Map<String, String> env;

  Cli(String endpoints) {
    this.env = endpoints == null ? Map.of() : Map.of(GlobalOptions.ENDPOINTS_ENV, endpoints);
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), env, args);
    return new Result(exit, out.toString(), err.toString(), String.join(" ", Arrays.asList(args)));
  }

  /** Starts {@code coord args} on its own thread; what it prints can be read while it runs. */
  Running start(String... args) {
    return new Running(args);
  }

  /** A run in progress (for the commands that wait: get -w, watch, ...). */
  final class Running {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final CompletableFuture<Result> result = new CompletableFuture<>();

    private Running(String... args) {
      Thread t = new Thread(() -> {
        try {
          int exit = Main.run(new PrintWriter(out), new PrintWriter(err), env, args);
          result.complete(new Result(exit, out.toString(), err.toString(), String.join(" ", Arrays.asList(args))));
        } catch (Throwable e) {
          result.completeExceptionally(e);
        }
      }, "coord " + String.join(" ", Arrays.asList(args)));
      t.setDaemon(true);
      t.start();
    }

    /** Stdout so far. */
    String out() {
      return out.toString();
    }

    /** Stderr so far. */
    String err() {
      return err.toString();
    }

    /** Waits for the command to end, at most {@code timeout}. */
    Result await(Duration timeout) throws Exception {
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** A finished run: exit code, stdout, stderr. */
  record Result(int exit, String out, String err, String command) {
    List<String> lines() {
      return out.lines().toList();
    }

    @Override
    public String toString() {
      return "coord " + command + " -> exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }
}
