package coord.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs {@code coord-bench} in-process against given endpoints and captures what it prints. */
final class Bench {
  private final Map<String, String> env;

  Bench(String endpoints) {
    this.env = endpoints == null ? Map.of() : Map.of(Main.ENDPOINTS_ENV, endpoints);
  }

  Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), env, args);
    return new Result(exit, out.toString(), err.toString());
  }

  record Result(int exit, String out, String err) {}
}
