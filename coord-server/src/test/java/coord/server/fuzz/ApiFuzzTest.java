package coord.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coord.api.v1.CoordGrpc;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.ExistsRequest;
import coord.api.v1.KeepAliveResponse;
import coord.api.v1.OpenSessionResponse;
import coord.api.v1.SetDataRequest;
import coord.server.NodeConfig;
import coord.server.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throws random and malformed requests at a three-node cluster's gRPC API and checks that every answer
 * is a correct result or an acceptable error ({@link Answers}), that no member dies, and that at the end
 * every member's tree equals the model kept from the acknowledged answers. Seeded: a failure names its
 * seed, and {@code -Dcoord.fuzz.seed=N} replays it; {@code -Dcoord.fuzz.scale=K} multiplies the number of
 * requests for long runs (docs/reliability.md, "Fuzzing the API").
 */
class ApiFuzzTest {
  private static final Logger LOG = LoggerFactory.getLogger(ApiFuzzTest.class);
  static final long SEED = Long.getLong("coord.fuzz.seed", 20261128L);
  static final int SCALE = Integer.getInteger("coord.fuzz.scale", 1);
  /** The node's inbound limit: maxDataBytes plus 64 KiB for the rest of the request (CoordNode). */
  static final int MAX_INBOUND = NodeConfig.DEFAULT_MAX_DATA_BYTES + 64 * 1024;

  @TempDir Path dir;

  @Test
  void everyAnswerIsCorrectOrATypedErrorAndTheTreeMatchesTheModel() throws Exception {
    LOG.info("API fuzz: seed {} (replay with -Dcoord.fuzz.seed={}), scale {}", SEED, SEED, SCALE);
    Properties props = new Properties();
    props.setProperty("minSessionTimeout", "1000"); // the expiry check below waits only about a second
    long started = System.nanoTime();
    try (TestCluster cluster = TestCluster.start(dir, 3, props)) {
      NodeConfig config = cluster.configOf(1);
      try (ApiFuzzer f = new ApiFuzzer(cluster, SEED, config.maxDataBytes(), MAX_INBOUND,
              config.minSessionTimeoutMs(), config.maxSessionTimeoutMs());
          Heartbeats beats = new Heartbeats()) {
        run(f, beats);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("API fuzz failed with seed " + SEED + " (-Dcoord.fuzz.seed=" + SEED + "): "
            + e.getMessage(), e);
      }
    }
    LOG.info("API fuzz: seed {} passed in {} s", SEED, (System.nanoTime() - started) / 1_000_000_000);
  }

  private void run(ApiFuzzer f, Heartbeats beats) throws Exception {
    long t0 = System.nanoTime();
    long[] live = new long[2];
    for (int i = 0; i < live.length; i++) {
      OpenSessionResponse s = f.openSession(20_000, "session: open");
      live[i] = s.getSessionId();
      f.model.sessionOpened(live[i]);
      beats.keep(f.channels.get(i % f.channels.size()), live[i], s.getTimeoutMs());
    }
    new RandomRequests(f, List.of(live[0], live[1])).run(450 * SCALE);
    long t1 = System.nanoTime();
    new MalformedFrames(f).run(25 * SCALE);
    long t2 = System.nanoTime();
    TreeShapes shapes = new TreeShapes(f);
    shapes.deep(200, 60);
    shapes.deleteDeep(); // checked on every member above; the final walk would need a round trip per level
    shapes.wide(1000 * SCALE);
    shapes.deleteWide();
    if (SCALE >= 2) {
      shapes.wideLongNames(36); // ~36 MB of child names: slow, so only in longer runs
    }
    shapes.longPaths();
    long t3 = System.nanoTime();
    ConflictingWriters conflicts = new ConflictingWriters(f);
    conflicts.compareAndSet(4, 15 * SCALE);
    conflicts.racingCreates(4, 10 * SCALE);
    long t4 = System.nanoTime();
    expiredSession(f);
    long t5 = System.nanoTime();
    new TreeComparison(f).run();
    long t6 = System.nanoTime();
    LOG.info("API fuzz phases (s): random {}, malformed {}, shapes {}, conflicts {}, expiry {}, final check {}",
        secs(t1 - t0), secs(t2 - t1), secs(t3 - t2), secs(t4 - t3), secs(t5 - t4), secs(t6 - t5));

    Map<String, Long> counts = f.counts.snapshot();
    counts.forEach((category, n) -> LOG.info("API fuzz: {} requests: {}", String.format("%6d", n), category));
    LOG.info("API fuzz: time per kind of random step (ms): {}", f.counts.millisByKind());
    LOG.info("API fuzz: {} requests in total, {} znodes at the end", f.counts.total(), f.model.nodes.size());
    assertThat(f.counts.total()).isGreaterThan(2_000L * SCALE);
    assertThat(counts.keySet().stream().filter(c -> c.startsWith("write: ")).mapToLong(counts::get).sum())
        .isGreaterThan(150L * SCALE);
    assertThat(counts.keySet().stream().filter(c -> c.startsWith("read: ")).mapToLong(counts::get).sum())
        .isGreaterThan(80L * SCALE);
    assertThat(counts.keySet().stream().filter(c -> c.startsWith("garbage")).mapToLong(counts::get).sum())
        .isGreaterThan(250L * SCALE);
    assertThat(counts.keySet().stream().filter(c -> c.startsWith("oversized")).count())
        .isEqualTo(RawGrpc.allMethods().size());
    assertThat(f.counts.get("shape: wide create")).isGreaterThanOrEqualTo(1_000L * SCALE);
    assertThat(f.counts.get("conflict: CAS setData")).isEqualTo(60L * SCALE);
  }

  /**
   * A session that stops heartbeating expires: its ephemeral goes, and every write or heartbeat naming
   * it afterwards is SESSION_EXPIRED / expired.
   */
  private void expiredSession(ApiFuzzer f) throws InterruptedException {
    f.create(CreateRequest.newBuilder().setPath("/expiring").build(), "session: expiry");
    OpenSessionResponse s = f.openSession(1_000, "session: expiry");
    long id = s.getSessionId();
    f.model.sessionOpened(id);
    f.create(CreateRequest.newBuilder().setPath("/expiring/e").setMode(CreateMode.EPHEMERAL).setSessionId(id)
        .build(), "session: expiry");
    var stub = CoordGrpc.newBlockingStub(f.channels.get(0));
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> !stub
        .withDeadlineAfter(ApiFuzzer.DEADLINE_MS, TimeUnit.MILLISECONDS)
        .exists(ExistsRequest.newBuilder().setPath("/expiring/e").build()).getExists());
    f.model.sessionEnded(id);
    f.exists(ExistsRequest.newBuilder().setPath("/expiring/e").build(), f.member(), "session: expiry");
    f.create(CreateRequest.newBuilder().setPath("/expiring/again").setMode(CreateMode.EPHEMERAL).setSessionId(id)
        .build(), "session: write with expired session");
    f.setData(SetDataRequest.newBuilder().setPath("/expiring").setSessionId(id).build(),
        "session: write with expired session");
    KeepAliveResponse ka = f.keepAliveOnce(f.member(), id, "session: keepAlive expired");
    assertThat(ka.getExpired()).as("heartbeat of an expired session").isTrue();
  }

  private static String secs(long nanos) {
    return String.format("%.1f", nanos / 1e9);
  }
}
