package coord.it.fault;

import coord.api.v1.CreateMode;
import coord.api.v1.ErrorCode;
import coord.client.CoordClient;
import coord.client.CoordException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client that keeps writing one znode through any member and remembers when each acknowledged write was
 * called and answered: the recovery time after a fault is the time to the first write acknowledged after it.
 */
public final class WriteProbe implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WriteProbe.class);
  public static final String PATH = "/cit-probe";
  private static final long PAUSE_MS = 50;

  private final CoordClient client;
  private final AckLog acks = new AckLog();
  private final Thread thread;
  private volatile boolean running = true;
  private long failures;

  public WriteProbe(List<String> endpoints) {
    this.client = CoordClient.builder().endpoints(endpoints)
        .requestTimeout(Duration.ofSeconds(2)).attemptTimeout(Duration.ofMillis(700)).build();
    this.thread = new Thread(this::loop, "cit-write-probe");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void loop() {
    long n = 0;
    while (running) {
      long call = System.nanoTime();
      try {
        write(Long.toString(n++).getBytes(StandardCharsets.UTF_8));
        acks.add(call, System.nanoTime());
      } catch (CoordException e) {
        synchronized (this) {
          failures++;
        }
        LOG.debug("probe write failed: {}", e.getMessage());
      }
      try {
        Thread.sleep(PAUSE_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void write(byte[] data) {
    try {
      client.setData(PATH, data, -1);
    } catch (CoordException e) {
      if (e.code() != ErrorCode.NO_NODE) {
        throw e;
      }
      try {
        client.create(PATH, data, CreateMode.PERSISTENT);
      } catch (CoordException exists) {
        if (exists.code() != ErrorCode.NODE_EXISTS) {
          throw exists;
        }
      }
    }
  }

  /** Return time of the first acknowledged write called at or after {@code sinceNanos}, if any yet. */
  public OptionalLong firstAckAfter(long sinceNanos) {
    return acks.firstAfter(sinceNanos);
  }

  /** Waits (bounded) for a write called at or after {@code sinceNanos} to be acknowledged; its return time. */
  public OptionalLong awaitAckAfter(long sinceNanos, Duration timeout) throws InterruptedException {
    return acks.awaitFirstAfter(sinceNanos, timeout);
  }

  public long acknowledged() {
    return acks.size();
  }

  public synchronized long failures() {
    return failures;
  }

  /** Stops the writer (waiting up to 5 s for it) and closes its client. */
  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      client.close();
    }
  }
}
