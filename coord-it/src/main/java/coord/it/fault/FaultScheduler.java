package coord.it.fault;

import coord.it.cluster.ProcessCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs fault episodes one after another until the time is up: inject, hold, heal, wait until a probe write
 * is acknowledged and every member answers again, rest, next. Kinds come in rounds, each a seeded shuffle
 * of every enabled kind; the first round always completes, so every run has every kind, and a seed repeats
 * the order.
 */
public final class FaultScheduler {
  private static final Logger LOG = LoggerFactory.getLogger(FaultScheduler.class);
  /** How long to wait after a heal for a write and for every member to answer before giving up. */
  static final Duration RECOVERY_LIMIT = Duration.ofSeconds(60);

  private final ProcessCluster cluster;
  private final List<Nemesis> nemeses;
  private final FaultLog log;
  private final WriteProbe probe;
  private final Random random;
  private final Duration hold;
  private final Duration rest;
  private final List<EpisodeStats> stats = new ArrayList<>();

  public FaultScheduler(ProcessCluster cluster, List<Nemesis> nemeses, FaultLog log, WriteProbe probe, long seed,
      Duration hold, Duration rest) {
    if (nemeses.isEmpty()) {
      throw new IllegalArgumentException("no nemesis to run");
    }
    this.cluster = cluster;
    this.nemeses = List.copyOf(nemeses);
    this.log = log;
    this.probe = probe;
    this.random = new Random(seed);
    this.hold = hold;
    this.rest = rest;
  }

  /**
   * Runs episodes for {@code duration}, and past it until the first round is complete, so every enabled kind
   * runs at least once (each episode is bounded by its hold and {@link #RECOVERY_LIMIT}). Every injected fault
   * is healed before this returns, also on failure.
   */
  public void run(Duration duration) throws InterruptedException {
    long deadline = System.nanoTime() + duration.toNanos();
    List<Nemesis> round = new ArrayList<>(nemeses);
    Collections.shuffle(round, random);
    boolean firstRound = true;
    while (firstRound || System.nanoTime() + hold.toNanos() < deadline) {
      episode(round.remove(0));
      if (round.isEmpty()) {
        firstRound = false;
        round.addAll(nemeses);
        Collections.shuffle(round, random);
      }
      Thread.sleep(rest.toMillis());
    }
  }

  private void episode(Nemesis nemesis) throws InterruptedException {
    long start = System.nanoTime();
    Nemesis.Injected injected;
    try {
      injected = nemesis.inject(cluster, random);
      start = System.nanoTime();
    } catch (RuntimeException e) {
      LOG.error("could not inject {}", nemesis.kind(), e);
      record(new EpisodeStats(nemesis.kind(), List.of(), start, -1, -1, -1, "inject: " + e.getMessage()));
      return;
    }
    LOG.info("fault {} on {}", nemesis.kind(), injected.targets());
    String error = null;
    long heal;
    try {
      Thread.sleep(hold.toMillis());
    } finally {
      heal = System.nanoTime();
      try {
        injected.heal();
      } catch (RuntimeException e) {
        LOG.error("could not heal {}", nemesis.kind(), e);
        error = "heal: " + e.getMessage();
      }
    }
    OptionalLong recovered = probe.awaitAckAfter(heal, RECOVERY_LIMIT);
    long failoverMs = -1;
    if (nemesis.hitsLeader()) {
      OptionalLong first = probe.firstAckAfter(start);
      failoverMs = first.isPresent() ? (first.getAsLong() - start) / 1_000_000 : -1;
    }
    long recoveryMs = recovered.isPresent() ? (recovered.getAsLong() - heal) / 1_000_000 : -1;
    if (recovered.isEmpty() && error == null) {
      error = "no write acknowledged within " + RECOVERY_LIMIT.toSeconds() + " s of the heal";
    }
    awaitAllAnswer();
    LOG.info("healed {} on {}: recovery {} ms, failover {} ms", nemesis.kind(), injected.targets(), recoveryMs, failoverMs);
    log.add(new FaultLog.Episode(nemesis.kind(), injected.targets(), start, heal,
        recovered.isPresent() ? recovered.getAsLong() : -1));
    record(new EpisodeStats(nemesis.kind(), injected.targets(), start, heal, recoveryMs, failoverMs, error));
  }

  /** A restarted member takes seconds to boot: the next fault must not find the cluster already short. */
  private void awaitAllAnswer() throws InterruptedException {
    long deadline = System.nanoTime() + RECOVERY_LIMIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (cluster.statuses().values().stream().filter(s -> !s.getLeaderId().isEmpty()).count() == cluster.ids().size()) {
        return;
      }
      Thread.sleep(200);
    }
    LOG.warn("not every member answers with a known leader {} s after a heal", RECOVERY_LIMIT.toSeconds());
  }

  private synchronized void record(EpisodeStats s) {
    stats.add(s);
  }

  /** Every episode run so far, in order. */
  public synchronized List<EpisodeStats> stats() {
    return List.copyOf(stats);
  }
}
