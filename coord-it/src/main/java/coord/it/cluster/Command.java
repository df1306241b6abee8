package coord.it.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Runs a short external command ({@code ip}, {@code nft}, {@code kill}) to completion, bounded in time. */
public final class Command {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);

  /** The command ran but exited non-zero or did not finish in time; the message has its output. */
  public static final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    CommandFailedException(List<String> argv, int exitCode, String output) {
      super(String.join(" ", argv) + " -> exit " + exitCode + (output.isBlank() ? "" : ": " + output.strip()));
      this.exitCode = exitCode;
    }

    /** The exit code, or -1 when it timed out or could not start. */
    public int exitCode() {
      return exitCode;
    }
  }

  private Command() {}

  /** Runs {@code argv} and returns its stdout+stderr; throws when it fails. */
  public static String run(String... argv) {
    return run(null, List.of(argv));
  }

  /** Runs {@code argv} with {@code stdin} (may be null) and returns its stdout+stderr; throws when it fails. */
  public static String run(String stdin, List<String> argv) {
    Result r = tryRun(stdin, argv);
    if (r.exitCode() != 0) {
      throw new CommandFailedException(argv, r.exitCode(), r.output());
    }
    return r.output();
  }

  /** Exit code and combined output of one run. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  /** Runs {@code argv} and returns its exit code and output, without throwing on a non-zero exit. */
  public static Result tryRun(String stdin, List<String> argv) {
    Process p;
    try {
      p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(-1, "cannot start: " + e.getMessage());
    }
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      // the command may exit without reading its input; its exit code tells
    }
    try {
      if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + TIMEOUT.toSeconds() + " s");
      }
      return new Result(p.exitValue(), out.get(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    } catch (ExecutionException | TimeoutException e) {
      return new Result(p.exitValue(), "(output unreadable: " + e + ")");
    }
  }

  /** True when {@code name} is an executable on PATH (or an absolute path). */
  public static boolean available(String name) {
    return tryRun(null, List.of("sh", "-c", "command -v " + name)).ok();
  }

  private static String readAll(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }
}
