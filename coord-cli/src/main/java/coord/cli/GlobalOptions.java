package coord.cli;

import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every command takes, before or after the command name ({@code coord -o json ls /} or
 * {@code coord ls -o json /}). Declared once on {@link Main} and inherited by every subcommand; the
 * values land here whichever command they were given to.
 */
final class GlobalOptions {
  static final String ENDPOINTS_ENV = "COORD_ENDPOINTS";
  static final String DEFAULT_ENDPOINTS = "127.0.0.1:2281,127.0.0.1:2282,127.0.0.1:2283";

  /** How results are printed. */
  enum Format { text, json }

  @Option(names = "--endpoints", scope = ScopeType.INHERIT, paramLabel = "host:port[,host:port...]",
      description = "Servers to talk to. Default: $" + ENDPOINTS_ENV + ", else " + DEFAULT_ENDPOINTS + ".")
  String endpoints;

  @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "text|json",
      description = "Output format: text (zkCli's) or json (one object per result and line). Default: text.")
  Format output = Format.text;

  @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "seconds",
      description = "Budget of each call, failover included, in seconds. Default: 10.")
  double timeoutSeconds = 10;

  /** The endpoints to use: the option, else the environment variable, else the local default. */
  String endpoints(Map<String, String> env) {
    if (endpoints != null && !endpoints.isBlank()) {
      return endpoints;
    }
    String fromEnv = env.get(ENDPOINTS_ENV);
    return fromEnv != null && !fromEnv.isBlank() ? fromEnv : DEFAULT_ENDPOINTS;
  }

  /** The call budget, or null when the option is not a positive number of seconds. */
  Duration timeout() {
    if (!(timeoutSeconds > 0) || timeoutSeconds > 86_400) {
      return null;
    }
    return Duration.ofNanos((long) (timeoutSeconds * 1e9));
  }

  boolean json() {
    return output == Format.json;
  }
}
