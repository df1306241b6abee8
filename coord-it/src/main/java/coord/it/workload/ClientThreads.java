package coord.it.workload;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A workload's client threads: each runs one step at a time until {@link #stop}. A step that throws is
 * logged and the loop goes on, so that a client keeps going through faults.
 */
final class ClientThreads {
  private static final Logger LOG = LoggerFactory.getLogger(ClientThreads.class);

  /** One step of a client loop; it should take about one operation. */
  @FunctionalInterface
  interface Step {
    void run() throws Exception;
  }

  private final String name;
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  ClientThreads(String name) {
    this.name = name;
  }

  boolean running() {
    return running;
  }

  /** Starts a daemon thread that runs {@code step} then sleeps {@code pause}, until stopped. */
  synchronized void start(int index, Duration pause, Step step) {
    Thread t = new Thread(() -> {
      while (running) {
        try {
          step.run();
          if (!pause.isZero()) {
            Thread.sleep(pause.toMillis());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Exception e) {
          LOG.warn("{} client {}: step failed; going on", name, index, e);
        }
      }
    }, name + "-" + index);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  /**
   * Stops every loop: waits {@code grace} (an op timeout and a little more) for the current steps to
   * end, then interrupts what is left, which makes a blocked call end as indeterminate.
   */
  void stop(Duration grace) throws InterruptedException {
    running = false;
    long deadline = System.nanoTime() + grace.toNanos();
    List<Thread> all;
    synchronized (this) {
      all = List.copyOf(threads);
    }
    for (Thread t : all) {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    for (Thread t : all) {
      if (t.isAlive()) {
        LOG.warn("{}: {} still busy after {}; interrupting it", name, t.getName(), grace);
        t.interrupt();
        t.join(5_000);
      }
    }
  }
}
