package coord.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running member JVM: its process, and the signals the nemeses send it. */
final class NodeProcess {
  private static final Logger LOG = LoggerFactory.getLogger(NodeProcess.class);

  private final int id;
  private final Process process;
  private volatile boolean paused;

  private NodeProcess(int id, Process process) {
    this.id = id;
    this.process = process;
  }

  /** Starts {@code command} with {@code env} added, appending its output to {@code log}. */
  static NodeProcess start(int id, List<String> command, Map<String, String> env, Path log) {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      LOG.info("member {} started, pid {}", id, p.pid());
      return new NodeProcess(id, p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start member " + id + ": " + command, e);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  boolean paused() {
    return paused;
  }

  /** SIGKILL without waiting. */
  void sigkill() {
    process.destroyForcibly();
  }

  /** SIGKILL, then waits (bounded) until it is gone. A paused JVM dies too. */
  void kill() {
    process.destroyForcibly();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("member " + id + " (pid " + pid() + ") still alive 30 s after SIGKILL");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing member " + id, e);
    }
    paused = false;
  }

  void pause() {
    Command.run("kill", "-STOP", Long.toString(pid()));
    paused = true;
  }

  void resume() {
    Command.run("kill", "-CONT", Long.toString(pid()));
    paused = false;
  }
}
