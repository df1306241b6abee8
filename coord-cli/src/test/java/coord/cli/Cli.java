package coord.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

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
