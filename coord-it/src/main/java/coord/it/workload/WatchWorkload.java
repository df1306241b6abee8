package coord.it.workload;

import coord.api.v1.CreateMode;
import coord.api.v1.Stat;
import coord.api.v1.WatchEvent;
import coord.api.v1.WatchMode;
import coord.client.CoordClient;
import coord.client.CoordException;
import coord.client.Created;
import coord.client.WatchListener;
import coord.client.WatchSubscription;
import coord.it.check.WatchChecker;
import coord.it.check.WatchEventRecord;
import coord.it.check.WatchWrite;
import coord.it.fault.FaultLog;
import coord.it.history.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gap-free watches: watchers on different members hold persistent recursive watches on
 * {@code /it/watch}, all from the same start zxid, while dedicated writers create, set and delete its
 * children. Events go to {@code watch-events.jsonl}, writes (with their zxid where the client reports
 * it) to {@code watch.jsonl}. The client's watch stream resumes after the last delivered zxid across
 * failovers; a watch the server ended is re-added from there. At check time a final write is made and
 * every watcher must reach its zxid; then {@link WatchChecker}.
 */
public final class WatchWorkload implements Workload {
  private static final Logger LOG = LoggerFactory.getLogger(WatchWorkload.class);
  static final String ROOT = "/it/watch";
  private static final Duration CATCH_UP = Duration.ofSeconds(30);

  private final int watchers;
  private final int writers;
  private final int keys;
  private final Duration pause;
  private final List<Watcher> active = new ArrayList<>();
  private final List<CoordClient> writerClients = new ArrayList<>();
  private ClientThreads writerThreads;
  private ClientThreads keeper;
  private JsonLines writeLog;
  private JsonLines eventLog;
  private long startZxid;
  private Duration grace;

  public WatchWorkload(int watchers, int writers, int keys, Duration pause) {
    this.watchers = watchers;
    this.writers = writers;
    this.keys = keys;
    this.pause = pause;
  }

  @Override
  public String name() {
    return "watch";
  }

  @Override
  public void setUp(WorkloadContext ctx) throws Exception {
    try (CoordClient c = Clients.pinned(ctx, 0)) {
      Clients.ensurePaths(c, "/it", ROOT);
      Stat s = Clients.settle("set " + ROOT, () -> c.setData(ROOT, bytes("start"), -1));
      startZxid = s.getMzxid();
    }
  }

  @Override
  public void start(WorkloadContext ctx) {
    try {
      writeLog = JsonLines.open(ctx.runDir().resolve(name() + ".jsonl"));
      eventLog = JsonLines.open(ctx.runDir().resolve(name() + "-events.jsonl"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    grace = ctx.opTimeout().plusSeconds(2);
    for (int i = 0; i < watchers; i++) {
      Watcher w = new Watcher(i, Clients.pinned(ctx, i));
      active.add(w);
      w.subscribe(startZxid);
    }
    keeper = new ClientThreads(name() + "-keeper");
    keeper.start(0, Duration.ofMillis(500), () -> active.forEach(Watcher::resumeIfEnded));
    writerThreads = new ClientThreads(name() + "-writer");
    for (int i = 0; i < writers; i++) {
      CoordClient client = Clients.pinned(ctx, i + 1);
      writerClients.add(client);
      Writer writer = new Writer(i, client, new Random(ctx.seed() * 17 + i));
      writerThreads.start(i, pause, writer::step);
    }
  }

  @Override
  public void stop() throws InterruptedException {
    writerThreads.stop(grace);
    writerClients.forEach(CoordClient::close);
    writerClients.clear();
  }

  @Override
  public List<CheckResult> check(WorkloadContext ctx, FaultLog faults) throws Exception {
    long finalZxid;
    try (CoordClient c = Clients.pinned(ctx, 0)) {
      long call = System.nanoTime();
      Stat s = Clients.settle("final set " + ROOT, () -> c.setData(ROOT, bytes("final"), -1));
      finalZxid = s.getMzxid();
      writeLog.append(new WatchWrite(-1, "SET", ROOT, "OK", null, finalZxid, call, System.nanoTime()));
    }
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    while (System.nanoTime() < deadline && active.stream().anyMatch(w -> w.lastZxid < finalZxid)) {
      Thread.sleep(100);
    }
    keeper.stop(grace);
    active.forEach(w -> w.client.close());
    writeLog.close();
    eventLog.close();
    List<WatchWrite> writes = JsonLines.read(ctx.runDir().resolve(name() + ".jsonl"), WatchWrite.class);
    List<WatchEventRecord> events =
        JsonLines.read(ctx.runDir().resolve(name() + "-events.jsonl"), WatchEventRecord.class);
    List<Integer> ids = active.stream().map(w -> w.id).toList();
    active.clear();
    return List.of(new WatchChecker().check(writes, events, ids, ROOT, startZxid, finalZxid));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private void record(Object line) {
    try {
      eventLog.append(line);
    } catch (IOException e) {
      LOG.error("cannot record a watch event: the check will report it missing", e);
    }
  }

  /** One watcher: its own client (pinned to one member), one persistent recursive watch. */
  private final class Watcher implements WatchListener {
    final int id;
    final CoordClient client;
    volatile long lastZxid;
    volatile WatchSubscription subscription;
    volatile boolean compacted;
    private long batch;

    Watcher(int id, CoordClient client) {
      this.id = id;
      this.client = client;
    }

    /** Adds the watch; if that fails, the keeper adds it later from the same zxid. */
    void subscribe(long after) {
      lastZxid = after;
      resumeIfEnded();
    }

    /** Adds the watch if it is not there yet or the server ended it, after the last delivered zxid. */
    void resumeIfEnded() {
      WatchSubscription s = subscription;
      if (s != null && s.isActive() || compacted) {
        return;
      }
      long after = lastZxid;
      Call<WatchSubscription> c = Call.run(() ->
          client.watch(ROOT, WatchMode.WATCH_PERSISTENT_RECURSIVE, OptionalLong.of(after), this));
      if (c.ok()) {
        subscription = c.value();
        LOG.info("watcher {} watching after zxid {}", id, after);
      } else {
        LOG.warn("watcher {} cannot resume yet: {}", id, c.error().getMessage());
      }
    }

    @Override
    public void onEvents(List<WatchEvent> eventsOfOneZxid) {
      long now = System.nanoTime();
      long b = batch++;
      for (WatchEvent e : eventsOfOneZxid) {
        record(new WatchEventRecord(id, b, e.getZxid(), e.getType().name(), e.getPath(), now));
        lastZxid = Math.max(lastZxid, e.getZxid());
      }
    }

    @Override
    public void onCompacted(long oldestZxid) {
      compacted = true;
      record(new WatchEventRecord(id, batch++, oldestZxid, "COMPACTED", ROOT, System.nanoTime()));
    }

    @Override
    public void onError(CoordException e) {
      LOG.warn("watcher {}: the server ended the watch: {}", id, e.getMessage());
      record(new WatchEventRecord(id, batch++, -1, "ERROR", ROOT, System.nanoTime()));
    }
  }

  /** A writer: creates a key it believes absent, else sets or deletes it. */
  private final class Writer {
    private final int process;
    private final CoordClient client;
    private final Random random;
    private final boolean[] present = new boolean[keys];

    Writer(int process, CoordClient client, Random random) {
      this.process = process;
      this.client = client;
      this.random = random;
    }

    void step() throws IOException {
      int k = random.nextInt(keys);
      String path = ROOT + "/w" + process + "-k" + k;
      WatchWrite w;
      if (!present[k]) {
        Call<Created> c = Call.run(() -> client.create(path, bytes("c"), CreateMode.PERSISTENT));
        w = write("CREATE", path, c, c.ok() ? c.value().stat().getCzxid() : null);
        present[k] = c.ok() || c.indeterminate() || "NODE_EXISTS".equals(c.errorName());
      } else if (random.nextInt(4) > 0) {
        Call<Stat> c = Call.run(() -> client.setData(path, bytes("s"), -1));
        w = write("SET", path, c, c.ok() ? c.value().getMzxid() : null);
        present[k] = !"NO_NODE".equals(c.errorName());
      } else {
        Call<Void> c = Call.run(() -> {
          client.delete(path, -1);
          return null;
        });
        w = write("DELETE", path, c, null);
        present[k] = c.indeterminate();
      }
      writeLog.append(w);
    }

    private WatchWrite write(String op, String path, Call<?> c, Long zxid) {
      String status = c.ok() ? "OK" : c.definiteFailure() ? "FAIL" : "INDETERMINATE";
      return new WatchWrite(process, op, path, status, c.definiteFailure() ? c.errorName() : null, zxid,
          c.callNanos(), c.indeterminate() ? null : c.returnNanos());
    }
  }
}
