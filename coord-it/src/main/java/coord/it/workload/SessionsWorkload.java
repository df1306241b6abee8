package coord.it.workload;

import coord.api.v1.CreateMode;
import coord.api.v1.EventType;
import coord.api.v1.Stat;
import coord.api.v1.WatchEvent;
import coord.api.v1.WatchMode;
import coord.client.CoordClient;
import coord.client.CoordException;
import coord.client.CoordSession;
import coord.client.SessionState;
import coord.client.WatchListener;
import coord.it.check.EphemeralChecker;
import coord.it.check.SessionRecord;
import coord.it.fault.FaultLog;
import coord.it.history.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sessions and ephemerals. Each owner slot opens a session (through its own client behind a
 * {@link CuttableRelay}) and creates a few ephemerals. Slot 0 keeps its session for the whole run
 * (unless its client sees it expire); every other slot lives for a random while, then dies: the relay is
 * cut, so the cluster hears nothing more (no CloseSession), as when a client process is killed; the slot
 * then starts over with a new session. A slot whose client sees {@code EXPIRED} also starts over. The
 * owners alive at {@link #stop} stay alive until the check. An observer watches {@code /it/sessions}
 * recursively and records when each deletion arrives. Everything goes to {@code sessions.jsonl}
 * ({@link SessionRecord}); {@link EphemeralChecker} judges it.
 */
public final class SessionsWorkload implements Workload {
  private static final Logger LOG = LoggerFactory.getLogger(SessionsWorkload.class);
  static final String ROOT = "/it/sessions";

  private final int owners;
  private final int ephemeralsPerOwner;
  private final Duration lifetime;
  private final Duration grace;
  private final List<Owner> slots = new ArrayList<>();
  private final Set<String> attempted = new LinkedHashSet<>();
  /** Paths whose deletion the observer has delivered. */
  private final Set<String> seenDeleted = ConcurrentHashMap.newKeySet();
  private ClientThreads threads;
  private JsonLines log;
  private CoordClient observer;
  private long startZxid;
  private long stopNanos;
  private Duration stopGrace;

  /**
   * @param lifetime mean time an owner lives before it dies (uniform in 0.5x .. 1.5x)
   * @param grace what deletion may take beyond the session timeout (see {@link EphemeralChecker})
   */
  public SessionsWorkload(int owners, int ephemeralsPerOwner, Duration lifetime, Duration grace) {
    this.owners = owners;
    this.ephemeralsPerOwner = ephemeralsPerOwner;
    this.lifetime = lifetime;
    this.grace = grace;
  }

  @Override
  public String name() {
    return "sessions";
  }

  /** Creates {@code /it/sessions} and starts the observer's watch on it (a healthy cluster answers at once). */
  @Override
  public void setUp(WorkloadContext ctx) throws Exception {
    try (CoordClient c = Clients.pinned(ctx, 0)) {
      Clients.ensurePaths(c, "/it", ROOT);
      Stat s = Clients.settle("set " + ROOT, () -> c.setData(ROOT, new byte[0], -1));
      startZxid = s.getMzxid();
    }
    log = JsonLines.open(ctx.runDir().resolve(name() + ".jsonl"));
    observer = Clients.pinned(ctx, ctx.endpoints().size() - 1);
    WatchListener listener = new WatchListener() {
      @Override
      public void onEvents(List<WatchEvent> events) {
        long now = System.nanoTime();
        for (WatchEvent e : events) {
          if (e.getType() == EventType.NODE_DELETED) {
            record(SessionRecord.deleted(e.getPath(), now));
            seenDeleted.add(e.getPath());
          }
        }
      }

      @Override
      public void onCompacted(long oldestZxid) {
        record(SessionRecord.observerEnded(System.nanoTime()));
      }

      @Override
      public void onError(CoordException e) {
        LOG.warn("observer watch ended: {}", e.getMessage());
        record(SessionRecord.observerEnded(System.nanoTime()));
      }
    };
    Clients.settle("watch " + ROOT, () ->
        observer.watch(ROOT, WatchMode.WATCH_PERSISTENT_RECURSIVE, OptionalLong.of(startZxid), listener));
  }

  @Override
  public void start(WorkloadContext ctx) {
    // A step opens a session and creates the ephemerals, one op timeout each; a death closes a client (2 s).
    stopGrace = ctx.opTimeout().multipliedBy(ephemeralsPerOwner + 1L).plusSeconds(3);
    threads = new ClientThreads(name());
    for (int i = 0; i < owners; i++) {
      Owner owner = new Owner(i, ctx, new Random(ctx.seed() * 13 + i));
      slots.add(owner);
      threads.start(i, Duration.ofMillis(200), owner::step);
    }
  }

  /**
   * Stops the owners, then waits until the ephemerals of the owners that died are seen deleted, at most
   * until the last death's deadline (death + session timeout + grace): so that every death is timed,
   * not only those well before the end. Live owners stay alive until {@link #check}.
   */
  @Override
  public void stop() throws InterruptedException {
    threads.stop(stopGrace);
    long until = 0;
    Set<String> pending = new LinkedHashSet<>();
    for (Owner o : slots) {
      pending.addAll(o.doomedAcked);
      until = Math.max(until, o.lastDeathNanos + o.lastTimeoutNanos + grace.toNanos());
    }
    while (System.nanoTime() < until && !seenDeleted.containsAll(pending)) {
      Thread.sleep(100);
    }
    stopNanos = System.nanoTime();
  }

  @Override
  public List<CheckResult> check(WorkloadContext ctx, FaultLog faults) throws Exception {
    long settle = System.nanoTime() + ctx.sessionTimeout().multipliedBy(2).plusSeconds(30).toNanos();
    // Live owners must learn their fate: reconnected, or expired.
    while (System.nanoTime() < settle
        && slots.stream().anyMatch(o -> o.session != null && o.session.state() == SessionState.SUSPENDED)) {
      Thread.sleep(200);
    }
    List<String> paths;
    synchronized (attempted) {
      paths = List.copyOf(attempted);
    }
    try (CoordClient c = Clients.pinned(ctx, 0)) {
      // Dead and expired owners' ephemerals must go; wait for them (bounded) before the final reads.
      Set<String> mustGo = new LinkedHashSet<>();
      slots.forEach(o -> mustGo.addAll(o.doomed));
      long deadline = System.nanoTime() + ctx.sessionTimeout().plus(grace).plusSeconds(30).toNanos();
      while (!mustGo.isEmpty() && System.nanoTime() < deadline) {
        String p = mustGo.iterator().next();
        if (Clients.settle("exists " + p, () -> c.exists(p)).isEmpty()) {
          mustGo.remove(p);
        } else {
          Thread.sleep(200);
        }
      }
      for (String p : paths) {
        Optional<Stat> stat = Clients.settle("exists " + p, () -> c.exists(p));
        record(SessionRecord.finalOwner(p, stat.map(Stat::getEphemeralOwner).orElse(0L)));
      }
    }
    // Stop observing before live sessions are closed: their deletions now are not the run's.
    observer.close();
    for (Owner o : slots) {
      o.closeCleanly();
    }
    log.close();
    List<SessionRecord> records = JsonLines.read(ctx.runDir().resolve(name() + ".jsonl"), SessionRecord.class);
    return List.of(new EphemeralChecker().check(records, faults, grace, stopNanos));
  }

  private void record(SessionRecord r) {
    try {
      log.append(r);
    } catch (IOException e) {
      LOG.error("cannot record {}: the check will miss it", r, e);
    }
  }

  /** One owner slot: a session with its ephemerals, then death, then a new session. */
  private final class Owner {
    private final int slot;
    private final WorkloadContext ctx;
    private final Random random;
    /** Ephemerals of sessions that died or expired: they must be gone by the end. */
    final Set<String> doomed = ConcurrentHashMap.newKeySet();
    /** Of those, the acknowledged ones of died owners: their deletion is timed. */
    final Set<String> doomedAcked = ConcurrentHashMap.newKeySet();
    private final List<String> mine = new ArrayList<>();
    private final List<String> mineAcked = new ArrayList<>();
    private int generation;
    private CuttableRelay relay;
    private CoordClient client;
    volatile CoordSession session;
    private long dieAt;
    volatile long lastDeathNanos;
    volatile long lastTimeoutNanos;

    Owner(int slot, WorkloadContext ctx, Random random) {
      this.slot = slot;
      this.ctx = ctx;
      this.random = random;
    }

    void step() throws IOException {
      if (session == null) {
        begin();
      } else if (session.state() == SessionState.EXPIRED) {
        end();
      } else if (!steady() && System.nanoTime() >= dieAt) {
        die();
      }
    }

    private void begin() throws IOException {
      relay = new CuttableRelay(Clients.rotate(ctx.endpoints(), slot), "owner" + slot);
      client = Clients.builder(ctx, relay.endpoints()).build();
      long[] id = {0};
      Call<CoordSession> open = Call.run(() -> client.openSession(ctx.sessionTimeout(), state -> {
        // CONNECTED comes with OPEN; CLOSED only when the workload itself closes the client.
        if (state != SessionState.CONNECTED && state != SessionState.CLOSED) {
          record(SessionRecord.state(slot, id[0], state.name(), System.nanoTime()));
        }
      }));
      if (!open.ok()) {
        LOG.info("owner {}: cannot open a session yet: {}", slot, open.error().getMessage());
        client.close();
        relay.close();
        return;
      }
      CoordSession s = open.value();
      id[0] = s.id();
      session = s;
      generation++;
      mine.clear();
      mineAcked.clear();
      record(SessionRecord.open(slot, s.id(), s.timeout().toMillis(), System.nanoTime()));
      for (int j = 0; j < ephemeralsPerOwner; j++) {
        String path = ROOT + "/o" + slot + "-g" + generation + "-e" + j;
        synchronized (attempted) {
          attempted.add(path);
        }
        mine.add(path);
        Call<?> c = Call.run(() -> s.create(path, path.getBytes(StandardCharsets.UTF_8), CreateMode.EPHEMERAL));
        String status = c.ok() ? "OK" : c.definiteFailure() ? "FAIL" : "INDETERMINATE";
        if (c.ok()) {
          mineAcked.add(path);
        }
        record(SessionRecord.create(slot, s.id(), path, status, c.definiteFailure() ? c.errorName() : null,
            c.callNanos()));
      }
      long life = lifetime.toNanos() / 2 + (long) (random.nextDouble() * lifetime.toNanos());
      dieAt = System.nanoTime() + life;
    }

    /** Slot 0 (when there are others) keeps one session for the whole run, through every fault. */
    private boolean steady() {
      return slot == 0 && owners > 1;
    }

    /** The client saw EXPIRED: its ephemerals must be gone. */
    private void end() {
      doomed.addAll(mine);
      client.close();
      relay.close();
      session = null;
    }

    /** Cuts the client off without closing its session, as a crash would. */
    private void die() {
      doomed.addAll(mine);
      doomedAcked.addAll(mineAcked);
      lastDeathNanos = System.nanoTime();
      lastTimeoutNanos = session.timeout().toNanos();
      record(SessionRecord.death(slot, session.id(), lastDeathNanos));
      relay.close();
      client.close(); // its CloseSession cannot get through the cut relay
      session = null;
    }

    /** After the check's reads: ends a live session properly. */
    void closeCleanly() {
      if (client != null) {
        client.close();
      }
      if (relay != null) {
        relay.close();
      }
    }
  }
}
