package coord.it.run;

import coord.it.cluster.ClusterSpec;
import coord.it.cluster.NodeClasspath;
import coord.it.cluster.ProcessCluster;
import coord.it.fault.EpisodeStats;
import coord.it.fault.FaultLog;
import coord.it.fault.FaultMenu;
import coord.it.fault.FaultScheduler;
import coord.it.fault.WriteProbe;
import coord.it.workload.CheckResult;
import coord.it.workload.Workload;
import coord.it.workload.WorkloadContext;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault run: start the cluster, set up and start the workloads, inject faults for the configured time,
 * stop the workloads, heal everything, kill -9 every member at once and restart them, compare the members'
 * tree digests, run every checker, and write {@code report.json} and {@code report.md} into the run folder.
 */
public final class RunDriver {
  private static final Logger LOG = LoggerFactory.getLogger(RunDriver.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
  private static final Duration HEAL_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DIGEST_TIMEOUT = Duration.ofSeconds(60);

  private final RunConfig config;
  private final List<Workload> workloads;
  private final String classpath;

  public RunDriver(RunConfig config, List<Workload> workloads) {
    this(config, workloads, NodeClasspath.resolve());
  }

  public RunDriver(RunConfig config, List<Workload> workloads, String classpath) {
    this.config = config;
    this.workloads = List.copyOf(workloads);
    this.classpath = classpath;
  }

  /** Runs, reports, and cleans up every process, namespace and data folder it made. Never throws for a failed run. */
  public RunResult run() throws IOException, InterruptedException {
    long begin = System.nanoTime();
    Files.createDirectories(config.runDir());
    LOG.info("fault run in {} with seed {}", config.runDir(), config.seed());
    Builder b = new Builder();
    FaultLog faults = new FaultLog();
    ProcessCluster cluster = null;
    Thread cleanupOnExit = null;
    List<Workload> started = new ArrayList<>();
    try {
      ClusterSpec spec = ClusterSpec.of(config.runDir(), classpath, config.network()).withFailpoint(config.failpoint());
      if (config.clock()) {
        spec = spec.withClockMember(Math.floorMod(config.seed(), 3) + 1);
      }
      cluster = ProcessCluster.start(spec, START_TIMEOUT);
      ProcessCluster started0 = cluster;
      cleanupOnExit = new Thread(started0::close, "cit-cleanup-on-exit");
      Runtime.getRuntime().addShutdownHook(cleanupOnExit);
      b.network = cluster.networkNote();
      FaultMenu.Selection selection = FaultMenu.select(cluster, config.faults());
      b.enabled = selection.kinds();
      b.skipped = selection.skipped();
      if (selection.enabled().isEmpty()) {
        b.problems.add("no fault kind can run here; left out: " + selection.skipped());
      }
      WorkloadContext ctx = new WorkloadContext(cluster.endpoints(), config.runDir(), config.seed(),
          config.opTimeout(), config.sessionTimeout());
      for (Workload w : workloads) {
        w.setUp(ctx);
      }
      try (WriteProbe probe = new WriteProbe(cluster.endpoints())) {
        probe.start();
        for (Workload w : workloads) {
          w.start(ctx);
          started.add(w);
        }
        if (!selection.enabled().isEmpty()) {
          FaultScheduler scheduler = new FaultScheduler(cluster, selection.enabled(), faults, probe, config.seed(),
              config.hold(), config.rest());
          try {
            scheduler.run(config.faultTime());
          } finally {
            b.episodes = scheduler.stats();
          }
        }
        stopAll(started);
      }
      healEverything(cluster);
      cluster.awaitWritable(HEAL_TIMEOUT);
      cluster.killAll();
      cluster.startAll();
      b.restartWriteMs = cluster.awaitWritable(START_TIMEOUT).toMillis();
      ProcessCluster.Digests d = cluster.awaitSameDigest(DIGEST_TIMEOUT);
      b.digestsEqual = d.same();
      b.digests = d.digests();
      b.applied = d.appliedIndex();
      for (Workload w : workloads) {
        try {
          for (CheckResult r : w.check(ctx, faults)) {
            b.checks.add(new RunResult.WorkloadCheck(w.name(), r));
          }
        } catch (Exception e) {
          LOG.error("checking {} failed", w.name(), e);
          b.checks.add(new RunResult.WorkloadCheck(w.name(),
              new CheckResult("check-ran", false, 0, 1, "check threw " + e)));
        }
      }
    } catch (Exception e) {
      LOG.error("fault run aborted", e);
      b.problems.add("run aborted: " + e);
      stopAll(started);
    } finally {
      if (cluster != null) {
        removeHook(cleanupOnExit);
        cluster.close();
        cluster.leftovers().forEach(l -> b.problems.add("left after cleanup: " + l));
      }
    }
    RunResult result = b.build(faults, (System.nanoTime() - begin) / 1e9);
    RunReports.write(result, config.runDir());
    LOG.info("fault run {}: report in {}", result.ok() ? "PASSED" : "FAILED", config.runDir().resolve(RunReports.MARKDOWN));
    return result;
  }

  /** A run ended by SIGTERM or Ctrl-C still kills its members and removes its namespaces. */
  private static void removeHook(Thread hook) {
    if (hook == null) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      LOG.info("JVM shutting down: the shutdown hook cleans up");
    }
  }

  private static void stopAll(List<Workload> started) throws InterruptedException {
    for (Workload w : started) {
      try {
        w.stop();
      } catch (RuntimeException e) {
        LOG.error("stopping {} failed", w.name(), e);
      }
    }
    started.clear();
  }

  /** The scheduler heals each fault; this is the belt and braces before the final checks. */
  private static void healEverything(ProcessCluster cluster) {
    cluster.network().healLinks();
    for (int id : cluster.ids()) {
      if (cluster.paused(id)) {
        cluster.resume(id);
      }
    }
    cluster.clockMember().ifPresent(id -> cluster.setClockOffset("+0"));
    cluster.startAll();
  }

  /** Collects the parts of a {@link RunResult} as the run goes. */
  private final class Builder {
    String network = "not started";
    List<String> enabled = List.of();
    List<String> skipped = List.of();
    List<EpisodeStats> episodes = List.of();
    final List<RunResult.WorkloadCheck> checks = new ArrayList<>();
    boolean digestsEqual;
    Map<Integer, String> digests = Map.of();
    Map<Integer, Long> applied = Map.of();
    long restartWriteMs = -1;
    final List<String> problems = new ArrayList<>();

    RunResult build(FaultLog faults, double wallSeconds) {
      Map<String, Long> ops = new TreeMap<>();
      for (Workload w : workloads) {
        ops.put(w.name(), checks.stream().filter(c -> c.workload().equals(w.name()))
            .mapToLong(c -> c.result().operations()).max().orElse(0));
      }
      Map<String, Integer> byKind = new TreeMap<>();
      faults.episodes().forEach(e -> byKind.merge(e.kind(), 1, Integer::sum));
      Map<String, RunResult.Recovery> recovery = new TreeMap<>();
      for (String kind : byKind.keySet()) {
        List<EpisodeStats> of = episodes.stream().filter(e -> e.kind().equals(kind)).toList();
        recovery.put(kind, new RunResult.Recovery(of.size(), max(of, EpisodeStats::recoveryMs),
            median(of, EpisodeStats::recoveryMs), max(of, EpisodeStats::failoverMs), median(of, EpisodeStats::failoverMs)));
      }
      List<String> why = new ArrayList<>(problems);
      checks.stream().filter(c -> !c.result().ok())
          .forEach(c -> why.add("check " + c.workload() + "/" + c.result().checker() + " failed: " + c.result().summary()));
      ops.forEach((w, n) -> {
        if (n == 0) {
          why.add("workload " + w + " recorded no operations");
        }
      });
      episodes.stream().filter(e -> e.error() != null)
          .forEach(e -> why.add("fault " + e.kind() + " on " + e.targets() + ": " + e.error()));
      if (!enabled.isEmpty() && faults.episodes().isEmpty()) {
        why.add("no fault was injected");
      }
      if (!digestsEqual) {
        why.add("members' tree digests differ or were not all reported: " + digests + " at " + applied);
      }
      if (checks.isEmpty()) {
        why.add("no checker ran");
      }
      return new RunResult(why.isEmpty(), config.runDir().toString(), config.seed(), config.failpoint(), network,
          config.faultTime().toSeconds(), enabled, skipped, ops, byKind, recovery, episodes, List.copyOf(checks),
          digestsEqual, digests, applied, restartWriteMs, why, Math.round(wallSeconds * 10) / 10.0);
    }
  }

  private static long max(List<EpisodeStats> of, ToLongFunction<EpisodeStats> f) {
    return of.stream().mapToLong(f).filter(v -> v >= 0).max().orElse(-1);
  }

  private static long median(List<EpisodeStats> of, ToLongFunction<EpisodeStats> f) {
    long[] v = of.stream().mapToLong(f).filter(x -> x >= 0).sorted().toArray();
    return v.length == 0 ? -1 : v[(v.length - 1) / 2];
  }
}
