package coord.bench;

import coord.api.v1.Consistency;
import coord.api.v1.CreateMode;
import coord.client.CoordClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code coord-bench failover}: per round, steady creates at {@code --rate} from clients spread over the
 * members, then the leader is killed with {@code kill -9} (or frozen with SIGSTOP and resumed with SIGCONT
 * after the round). Measures the unavailability window (from the fault to the first acknowledgement of a
 * write sent after it) and the longest gap between acknowledgements; then checks with a linearizable read
 * that every acknowledged write is there, and restarts a killed leader with {@code cluster.sh restart N}.
 */
final class FailoverDrill {
  /** How often the drill looks at the members and the acknowledgements while it waits for recovery. */
  private static final long POLL_MILLIS = 50;
  private static final int VALUE_SIZE = 100;
  private static final Duration HEALTHY_LIMIT = Duration.ofSeconds(90);
  /** What one member may take to accept the probe write of {@link MemberWriteProbe}. */
  private static final Duration PROBE_BUDGET = Duration.ofSeconds(20);

  /** One round's figures; times in ms from the fault. {@code windowMs} is null when writes never resumed. */
  record Round(int round, int leader, long pid, String faultAt, Double windowMs, Map<String, Double> windowByMember, double maxGapMs, Integer newLeader,
      Double newLeaderMs, long sent, long acked, Map<String, Long> failed, long unanswered, List<String> lost,
      boolean restarted) {}

  private final FaultSettings s;
  private final PrintWriter progress;
  private final LocalCluster cluster;

  FailoverDrill(FaultSettings settings, PrintWriter progress) throws DrillException {
    this.s = settings;
    this.progress = progress;
    if (settings.clusterDir() == null) {
      throw new DrillException("failover needs the cluster.sh data folder to find the leader's pid: give "
          + "--cluster-dir DIR (or set COORD_LOCAL_DIR as for cluster.sh)");
    }
    this.cluster = new LocalCluster(settings.clusterDir(), settings.restartScript());
  }

  /**
   * What the drill found: the rounds it ran; the members that did not accept a write through themselves
   * after the last round (empty when all did); why it stopped before {@code --rounds}, or null.
   */
  record Result(List<Round> rounds, Map<String, String> unwritableAfter, String stoppedBecause) {}

  /**
   * Runs the rounds; the prefix exists and is empty. A round starts only when every member accepts a write
   * through itself; when they do not, the drill stops there and says why.
   *
   * @throws DrillException when the first round cannot start
   */
  Result run(CoordClient admin) throws DrillException, InterruptedException {
    ClusterView view = new ClusterView(admin, s.endpoints());
    MemberWriteProbe probe = new MemberWriteProbe(s.endpoints(), PROBE_BUDGET);
    List<Round> rounds = new ArrayList<>();
    for (int r = 1; r <= s.rounds(); r++) {
      try {
        view.awaitHealthy(HEALTHY_LIMIT);
        Map<String, String> unwritable = probe.failures(s.prefix(), "probe-before-" + r);
        if (!unwritable.isEmpty()) {
          throw new DrillException("members do not accept writes before round " + r + ": " + unwritable, true);
        }
      } catch (DrillException e) {
        if (rounds.isEmpty()) {
          throw e;
        }
        say("stopping after round %d: %s", r - 1, e.getMessage());
        return new Result(rounds, Map.of(), e.getMessage());
      }
      Round round = round(r, admin, view, r == s.rounds());
      rounds.add(round);
      say("round %d: window %s, max gap %.0f ms, new leader node %s after %s, %d acknowledged, %d lost%s",
          r, round.windowMs() == null ? "NOT RECOVERED" : String.format("%.0f ms", round.windowMs()),
          round.maxGapMs(), round.newLeader() == null ? "?" : round.newLeader(),
          round.newLeaderMs() == null ? "?" : String.format("%.0f ms", round.newLeaderMs()), round.acked(),
          round.lost().size(), round.failed().isEmpty() ? "" : ", failed " + round.failed());
    }
    Map<String, String> unwritableAfter = Map.of();
    if (s.freeze() || cluster.canRestart()) {
      try {
        view.awaitHealthy(HEALTHY_LIMIT);
      } catch (DrillException e) {
        return new Result(rounds, Map.of(), e.getMessage());
      }
      unwritableAfter = probe.failures(s.prefix(), "probe-after");
      if (!unwritableAfter.isEmpty()) {
        say("members do not accept writes after the last round: %s", unwritableAfter);
      }
    }
    return new Result(rounds, unwritableAfter, null);
  }

  private Round round(int r, CoordClient admin, ClusterView view, boolean last)
      throws DrillException, InterruptedException {
    ClusterView.Leader leader = view.awaitHealthy(HEALTHY_LIMIT);
    long pid = cluster.pidOf(leader.node());
    String parent = s.prefix() + "/round-" + r;
    admin.create(parent, new byte[0], CreateMode.PERSISTENT);
    say("round %d: leader is node %d (pid %d, %s); %d creates/s from %d clients for %s, then %s",
        r, leader.node(), pid, leader.endpoint(), s.rate(), s.clients(), human(s.before()),
        s.freeze() ? "SIGSTOP" : "kill -9");
    List<CoordClient> clients = new ArrayList<>();
    Thread resumeOnExit = null;
    boolean frozen = false;
    try {
      for (int i = 0; i < s.clients(); i++) {
        clients.add(CoordClient.builder().endpoints(s.endpointsFrom(i)).requestTimeout(s.requestTimeout()).build());
      }
      SteadyWriter writer = new SteadyWriter(clients, parent, s.rate(), VALUE_SIZE);
      writer.start();
      TimeUnit.NANOSECONDS.sleep(s.before().toNanos());
      if (writer.acks().isEmpty()) {
        throw new DrillException("no write was acknowledged in the " + human(s.before()) + " before the fault", true);
      }
      if (s.freeze()) {
        resumeOnExit = new Thread(() -> resume(pid), "coord-bench-sigcont");
        Runtime.getRuntime().addShutdownHook(resumeOnExit);
        frozen = true;
      }
      long fault = LocalCluster.signal(pid, s.freeze() ? LocalCluster.Signal.STOP : LocalCluster.Signal.KILL);
      String faultAt = Instant.now().minusNanos(System.nanoTime() - fault).toString();
      say("round %d: %s node %d (pid %d) at %s", r, s.freeze() ? "froze" : "killed", leader.node(), pid, faultAt);

      // Until a write sent after the fault is acknowledged (and a new leader is seen), bounded.
      long limit = fault + Math.max(TimeUnit.SECONDS.toNanos(60), 2 * s.requestTimeout().toNanos());
      OptionalLong firstAck = OptionalLong.empty();
      Optional<ClusterView.Leader> newLeader = Optional.empty();
      long newLeaderSeen = 0;
      while (System.nanoTime() < limit && (firstAck.isEmpty() || newLeader.isEmpty())) {
        if (newLeader.isEmpty()) {
          newLeader = view.leaderOtherThan(leader);
          newLeaderSeen = System.nanoTime();
        }
        if (firstAck.isEmpty()) {
          firstAck = writer.firstAckOfWriteSentFrom(fault);
        }
        TimeUnit.MILLISECONDS.sleep(POLL_MILLIS); // sampling our own counters and the members' view
      }
      if (firstAck.isPresent()) {
        TimeUnit.NANOSECONDS.sleep(s.after().toNanos());
      }
      writer.stopSending();
      long unanswered = 0;
      if (!writer.awaitAnswered(s.requestTimeout().plusSeconds(10))) {
        unanswered = writer.sent() - writer.acks().size() - writer.failures().values().stream().mapToLong(x -> x).sum();
      }
      if (frozen) {
        LocalCluster.signal(pid, LocalCluster.Signal.CONT);
        frozen = false;
        say("round %d: resumed node %d (SIGCONT)", r, leader.node());
      }
      List<SteadyWriter.Ack> acks = writer.acks();
      List<String> lost = lost(admin, parent, acks);
      boolean restarted = false;
      if (!s.freeze()) {
        if (cluster.canRestart()) {
          say("round %d: restarting node %d", r, leader.node());
          cluster.restart(leader.node(), progress);
          restarted = true;
        } else if (!last) {
          throw new DrillException("node " + leader.node() + " is down and this tool cannot restart it (no "
              + "checkout known or --no-restart): " + cluster.restartHint(leader.node()));
        } else {
          say("node %d is down: restart it with %s", leader.node(), cluster.restartHint(leader.node()));
        }
      }
      // Per member a client started at: which clients waited longest (those on the faulty leader, or not).
      Map<String, Double> byMember = new TreeMap<>();
      writer.firstAckByClientOfWritesSentFrom(fault).forEach((client, ack) ->
          byMember.merge(s.endpointsFrom(client).get(0), ms(ack - fault), Math::min));
      return new Round(r, leader.node(), pid, faultAt,
          firstAck.isPresent() ? ms(firstAck.getAsLong() - fault) : null, byMember, ms(maxGap(acks)),
          newLeader.map(ClusterView.Leader::node).orElse(null),
          newLeader.isPresent() ? ms(newLeaderSeen - fault) : null,
          writer.sent(), acks.size(), writer.failures(), unanswered, lost, restarted);
    } finally {
      if (frozen) {
        resume(pid);
      }
      if (resumeOnExit != null) {
        removeHook(resumeOnExit);
      }
      clients.forEach(CoordClient::close);
    }
  }

  /** The acknowledged writes a linearizable listing of {@code parent} does not have. */
  private static List<String> lost(CoordClient admin, String parent, List<SteadyWriter.Ack> acks) {
    Set<String> present = new HashSet<>(admin.getChildren(parent, Consistency.LINEARIZABLE).names());
    List<String> lost = new ArrayList<>();
    for (SteadyWriter.Ack a : acks) {
      if (!present.contains(a.path().substring(parent.length() + 1))) {
        lost.add(a.path());
      }
    }
    return lost;
  }

  /** The longest time between two consecutive acknowledgements (sorted by time). */
  static long maxGap(List<SteadyWriter.Ack> acks) {
    long gap = 0;
    for (int i = 1; i < acks.size(); i++) {
      gap = Math.max(gap, acks.get(i).ackNanos() - acks.get(i - 1).ackNanos());
    }
    return gap;
  }

  private void resume(long pid) {
    try {
      LocalCluster.signal(pid, LocalCluster.Signal.CONT);
    } catch (DrillException e) {
      progress.println("coord-bench: could not resume pid " + pid + " (run kill -CONT " + pid + "): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      progress.println("coord-bench: interrupted while resuming pid " + pid + ": run kill -CONT " + pid);
    }
    progress.flush();
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook resumes the node, which is running already
    }
  }

  private void say(String format, Object... args) {
    progress.println("coord-bench: " + String.format(format, args));
    progress.flush();
  }

  static double ms(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }

  private static String human(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
