package coord.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The node processes of a cluster started by {@code deploy/local/cluster.sh}: node N's pid is in
 * {@code DIR/nodeN/node.pid}; signals go through {@code kill}; a killed node comes back with
 * {@code cluster.sh restart N} (when the script is known).
 */
final class LocalCluster {
  /** What a restart may take: cluster.sh waits up to its own start timeout (60 s by default) for a leader. */
  private static final long RESTART_LIMIT_SECONDS = 180;

  enum Signal { KILL, STOP, CONT }

  private final Path dir;
  private final Path script;

  /** @param script cluster.sh, or null when this tool does not restart nodes */
  LocalCluster(Path dir, Path script) {
    this.dir = dir;
    this.script = script;
  }

  /**
   * The pid of node {@code n}, checked to be a live coord node process.
   *
   * @throws DrillException when the pid file is missing or names no live coord node
   */
  long pidOf(int n) throws DrillException {
    Path file = dir.resolve("node" + n).resolve("node.pid");
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (NoSuchFileException e) {
      throw new DrillException("no pid file " + file + ": is node " + n + " a cluster.sh node of " + dir
          + "? (give --cluster-dir, or set COORD_LOCAL_DIR as for cluster.sh)");
    } catch (IOException e) {
      throw new DrillException("cannot read " + file + ": " + e.getMessage());
    }
    long pid;
    try {
      pid = Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new DrillException(file + " holds '" + text + "', not a pid");
    }
    Optional<ProcessHandle> p = ProcessHandle.of(pid);
    if (p.isEmpty() || !p.get().isAlive()) {
      throw new DrillException("node " + n + " (pid " + pid + " from " + file + ") is not running");
    }
    // The pid file can outlive its process and the pid be reused: insist on a coord node's command line.
    Optional<String> command = p.get().info().commandLine();
    if (command.isPresent() && !command.get().contains("coord.server.Main") && !command.get().contains("coord-server")) {
      throw new DrillException("pid " + pid + " from " + file + " is not a coord node: " + command.get());
    }
    return pid;
  }

  /**
   * Sends {@code signal} to {@code pid} with {@code kill}; for KILL, waits until the process is gone.
   *
   * @return System.nanoTime() when {@code kill} had returned: the signal was delivered by then
   */
  static long signal(long pid, Signal signal) throws DrillException, InterruptedException {
    Process kill;
    try {
      kill = new ProcessBuilder("kill", "-" + signal.name(), Long.toString(pid)).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new DrillException("cannot run kill: " + e.getMessage());
    }
    String output = drain(kill);
    if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new DrillException("kill -" + signal.name() + " " + pid + " failed: " + output.trim());
    }
    long delivered = System.nanoTime();
    if (signal == Signal.KILL) {
      Optional<ProcessHandle> p = ProcessHandle.of(pid);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (p.isPresent() && p.get().isAlive() && System.nanoTime() < deadline) {
        TimeUnit.MILLISECONDS.sleep(10); // polling a foreign process: there is nothing to wait on
      }
    }
    return delivered;
  }

  boolean canRestart() {
    return script != null;
  }

  /** The command a user runs to bring node {@code n} back. */
  String restartHint(int n) {
    return "COORD_LOCAL_DIR=" + dir + " " + (script == null ? "deploy/local/cluster.sh" : script.toString())
        + " restart " + n;
  }

  /**
   * {@code cluster.sh restart n}, its output copied to {@code progress}.
   *
   * @throws DrillException when the script fails or takes too long
   */
  void restart(int n, PrintWriter progress) throws DrillException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(script.toString(), "restart", Integer.toString(n)).redirectErrorStream(true);
    pb.environment().put(FaultOptions.LOCAL_DIR_ENV, dir.toString());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new DrillException("cannot run " + script + ": " + e.getMessage());
    }
    Thread copier = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          progress.println("  cluster.sh: " + line);
          progress.flush();
        }
      } catch (IOException e) {
        progress.println("coord-bench: reading cluster.sh's output: " + e.getMessage());
      }
    }, "coord-bench-restart-output");
    copier.setDaemon(true);
    copier.start();
    if (!p.waitFor(RESTART_LIMIT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new DrillException("'" + restartHint(n) + "' did not finish within " + RESTART_LIMIT_SECONDS + " s");
    }
    copier.join(5_000);
    if (p.exitValue() != 0) {
      throw new DrillException("'" + restartHint(n) + "' failed with exit code " + p.exitValue());
    }
  }

  private static String drain(Process p) {
    try {
      return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return e.getMessage();
    }
  }
}
