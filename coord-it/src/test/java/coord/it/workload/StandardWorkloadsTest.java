package coord.it.workload;

import static org.assertj.core.api.Assertions.assertThat;

import coord.it.fault.FaultLog;
import coord.server.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every standard workload against the in-JVM 3-node {@link TestCluster}, driven the way the run driver
 * drives them (set up, start, run, stop, restart every node, check): once without faults and once with
 * a member stopped and restarted mid-run. Every check must pass and every workload must have done work.
 */
class StandardWorkloadsTest {
  private static final Logger LOG = LoggerFactory.getLogger(StandardWorkloadsTest.class);
  private static final Duration RUN = Duration.ofSeconds(12);

  @TempDir
  Path dir;

  @Test
  @Timeout(180)
  void allChecksPassWithoutFaults() throws Exception {
    List<CheckResult> results = run("no-faults", new FaultLog(), (cluster, faults) -> Thread.sleep(RUN.toMillis()));
    assertAllPass(results);
  }

  @Test
  @Timeout(180)
  void allChecksPassWhenTheLeaderIsStoppedAndRestartedMidRun() throws Exception {
    List<CheckResult> results = run("leader-restart", new FaultLog(), (cluster, faults) -> {
      Thread.sleep(3_000);
      int leader = cluster.awaitLeader();
      long start = System.nanoTime();
      cluster.stopNode(leader);
      LOG.info("stopped leader {}", leader);
      Thread.sleep(3_000);
      cluster.startNode(leader);
      long heal = System.nanoTime();
      faults.add(new FaultLog.Episode("kill", List.of(leader), start, heal, -1));
      LOG.info("restarted node {}", leader);
      Thread.sleep(RUN.toMillis() - 6_000);
    });
    assertAllPass(results);
  }

  private interface Middle {
    void run(TestCluster cluster, FaultLog faults) throws Exception;
  }

  /** Runs the workloads; their histories stay in {@code target/it-runs/<name>} for inspection. */
  private List<CheckResult> run(String name, FaultLog faults, Middle middle) throws Exception {
    Path runDir = Files.createDirectories(Path.of("target", "it-runs", name));
    try (TestCluster cluster = TestCluster.start(dir.resolve("cluster"), 3)) {
      List<String> endpoints = IntStream.rangeClosed(1, 3).mapToObj(cluster::clientEndpoint).toList();
      // The machine is shared and often loaded: generous op timeout and expiry grace.
      WorkloadContext ctx = new WorkloadContext(endpoints, runDir, 42, Duration.ofSeconds(5), Duration.ofSeconds(4));
      List<Workload> workloads = Workloads.standard(new Workloads.Options(
          4, 3, 4, 100, 2, 2, 3, 1, 4, 3, 2, Duration.ofSeconds(3), Duration.ofSeconds(6), Duration.ofMillis(20),
          Duration.ofMillis(100)));
      for (Workload w : workloads) {
        w.setUp(ctx);
      }
      workloads.forEach(w -> w.start(ctx));
      try {
        middle.run(cluster, faults);
      } finally {
        for (Workload w : workloads) {
          w.stop();
        }
      }
      restartAll(cluster);
      List<CheckResult> results = new ArrayList<>();
      for (Workload w : workloads) {
        for (CheckResult r : w.check(ctx, faults)) {
          LOG.info("{} {}: {} ({} ops, {} anomalies) {}", w.name(), r.checker(), r.ok() ? "PASS" : "FAIL",
              r.operations(), r.anomalies(), r.summary());
          results.add(r);
        }
      }
      assertThat(Files.list(runDir).map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
          .contains("register.jsonl", "set.jsonl", "sequential.jsonl", "watch.jsonl", "watch-events.jsonl",
              "sessions.jsonl");
      return results;
    }
  }

  /**
   * The driver's last step before checking: every node stopped, then all restarted. (One at a time:
   * TestCluster stops a node under its lock, about 3 s each.)
   */
  private static void restartAll(TestCluster cluster) throws IOException {
    for (int id : cluster.runningIds()) {
      cluster.stopNode(id);
    }
    for (int id = 1; id <= 3; id++) {
      cluster.startNode(id);
    }
    cluster.awaitLeader();
  }

  private static void assertAllPass(List<CheckResult> results) {
    assertThat(results).extracting(CheckResult::checker).containsExactly(
        "linearizable", "no-lost-writes", "sequential-unique", "watch-gap-free", "ephemerals");
    for (CheckResult r : results) {
      assertThat(r.ok()).as(r.checker() + ": " + r.summary()).isTrue();
      assertThat(r.anomalies()).as(r.summary()).isZero();
      assertThat(r.operations()).as(r.checker() + " did no work: " + r.summary()).isPositive();
    }
  }
}
