package coord.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import coord.api.v1.CreateMode;
import coord.api.v1.ErrorCode;
import coord.api.v1.Role;
import coord.api.v1.Stat;
import coord.server.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client sessions against a real three-node cluster (coord-server's fixture): negotiation, ephemeral
 * nodes, keep-alive failover, close and expiry. Lives in coord-cli's tests because coord-server's tests
 * depend on coord-client, so coord-client cannot depend on coord-server's fixture.
 */
class SessionClusterTest {
  private static final long MIN_TIMEOUT = 1000;
  private static final long MAX_TIMEOUT = 8000;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path dir;

  private static TestCluster cluster;
  private static CoordClient observer;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    Properties p = new Properties();
    p.setProperty("tickTime", "500");
    p.setProperty("minSessionTimeout", Long.toString(MIN_TIMEOUT));
    p.setProperty("maxSessionTimeout", Long.toString(MAX_TIMEOUT));
    cluster = TestCluster.start(dir, 3, p);
    observer = CoordClient.builder().endpoints(cluster.clientEndpoints()).requestTimeout(Duration.ofSeconds(30)).build();
    observer.create("/s", null, CreateMode.PERSISTENT);
  }

  @AfterAll
  static void stop() {
    if (observer != null) {
      observer.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  /** A client whose endpoints start with node {@code first}, so that it talks to that node first. */
  private CoordClient clientOn(int first) {
    CoordClient client = CoordClient.builder().endpoints(cluster.endpointsStartingWith(first))
        .requestTimeout(Duration.ofSeconds(30)).build();
    toClose.add(0, client);
    return client;
  }

  private static boolean exists(String path) {
    return observer.exists(path).isPresent();
  }

  @Test
  void timeoutIsNegotiatedIntoTheConfiguredBounds() {
    CoordClient client = clientOn(1);
    List<SessionState> states = new CopyOnWriteArrayList<>();

    CoordSession low = client.openSession(Duration.ofMillis(10), states::add);
    CoordSession high = client.openSession(Duration.ofMinutes(10), null);
    CoordSession within = client.openSession(Duration.ofMillis(2500), null);

    assertThat(low.timeout()).isEqualTo(Duration.ofMillis(MIN_TIMEOUT));
    assertThat(high.timeout()).isEqualTo(Duration.ofMillis(MAX_TIMEOUT));
    assertThat(within.timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(List.of(low.id(), high.id(), within.id())).doesNotHaveDuplicates().allMatch(id -> id > 0);
    await().atMost(WAIT).until(() -> states.equals(List.of(SessionState.CONNECTED)));
  }

  @Test
  void ephemeralNodeBelongsToItsSessionAndVanishesAtOnceWhenItCloses() {
    CoordClient client = clientOn(2);
    List<SessionState> states = new CopyOnWriteArrayList<>();
    CoordSession session = client.openSession(Duration.ofSeconds(4), states::add);

    Created e = session.create("/s/close-e", "x".getBytes(), CreateMode.EPHEMERAL);
    Created seq = client.create("/s/close-q-", null, CreateMode.EPHEMERAL_SEQUENTIAL,
        CreateOptions.none().session(session));

    assertThat(e.stat().getEphemeralOwner()).isEqualTo(session.id());
    assertThat(seq.path()).matches("/s/close-q-\\d{10}");
    assertThat(observer.exists("/s/close-e")).map(Stat::getEphemeralOwner).contains(session.id());
    assertThatThrownBy(() -> client.create("/s/close-e/child", null, CreateMode.PERSISTENT))
        .isInstanceOf(CoordException.class).extracting(x -> ((CoordException) x).code())
        .isEqualTo(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS);

    session.close();

    assertThat(session.state()).isEqualTo(SessionState.CLOSED);
    assertThat(exists("/s/close-e")).as("deleted with the CloseSession entry").isFalse();
    assertThat(exists(seq.path())).isFalse();
    await().atMost(WAIT).until(() -> states.equals(List.of(SessionState.CONNECTED, SessionState.CLOSED)));
  }

  @Test
  void closingTheClientClosesItsSessions() {
    CoordClient client = CoordClient.builder().endpoints(cluster.clientEndpoints()).build();
    CoordSession session = client.openSession(Duration.ofSeconds(8), null);
    session.create("/s/client-close", null, CreateMode.EPHEMERAL);

    client.close();

    assertThat(session.state()).isEqualTo(SessionState.CLOSED);
    assertThat(exists("/s/client-close")).isFalse();
  }

  @Test
  void withoutKeepAlivesTheSessionExpiresAndItsWritesFailWithSessionExpired() {
    CoordClient client = clientOn(3);
    CoordSession session = client.openSession(Duration.ofMillis(MIN_TIMEOUT), null);
    session.create("/s/expire-e", null, CreateMode.EPHEMERAL);
    long stopped = System.nanoTime();

    session.stopKeepAlive(); // as if the process had died

    await().atMost(WAIT).until(() -> !exists("/s/expire-e"));
    assertThat(Duration.ofNanos(System.nanoTime() - stopped)).as("not before the timeout")
        .isGreaterThanOrEqualTo(Duration.ofMillis(MIN_TIMEOUT));
    assertThatThrownBy(() -> session.create("/s/expire-e2", null, CreateMode.EPHEMERAL))
        .isInstanceOf(CoordException.class).extracting(x -> ((CoordException) x).code())
        .isEqualTo(ErrorCode.SESSION_EXPIRED);
    assertThatThrownBy(() -> client.create("/s/expire-p", null, CreateMode.PERSISTENT,
        CreateOptions.none().session(session)))
        .isInstanceOf(CoordException.class).extracting(x -> ((CoordException) x).code())
        .isEqualTo(ErrorCode.SESSION_EXPIRED);
    assertThat(exists("/s/expire-p")).isFalse();
  }

  @Test
  void aSessionClosedElsewhereIsReportedExpired() {
    CoordClient client = clientOn(1);
    List<SessionState> states = new CopyOnWriteArrayList<>();
    CoordSession session = client.openSession(Duration.ofMillis(1500), states::add);
    session.create("/s/elsewhere", null, CreateMode.EPHEMERAL);

    observer.closeSessionAsync(session.id(), null).join();

    await().atMost(WAIT).until(() -> session.state() == SessionState.EXPIRED);
    await().atMost(WAIT).until(() -> states.equals(List.of(SessionState.CONNECTED, SessionState.EXPIRED)));
    assertThat(exists("/s/elsewhere")).isFalse();
  }

  @ParameterizedTest(name = "stop the {0} the client talks to")
  @ValueSource(strings = {"leader", "follower"})
  void keepAliveFailsOverWhenTheNodeStopsAndTheSessionLives(String which) throws Exception {
    int leader = cluster.awaitLeader();
    int target = which.equals("leader") ? leader : (leader % 3) + 1;
    CoordClient client = clientOn(target);
    List<SessionState> states = new CopyOnWriteArrayList<>();
    CoordSession session = client.openSession(Duration.ofSeconds(4), states::add);
    String path = "/s/failover-" + which;
    session.create(path, null, CreateMode.EPHEMERAL);
    try {
      cluster.stopNode(target);

      await().atMost(WAIT).until(() -> states.contains(SessionState.RECONNECTED));
      assertThat(states).containsExactly(SessionState.CONNECTED, SessionState.SUSPENDED, SessionState.RECONNECTED);
      // Alive through twice its timeout: the keep-alive goes on from another node.
      await().during(session.timeout().multipliedBy(2)).atMost(WAIT).until(() -> exists(path));
      assertThat(session.state()).isEqualTo(SessionState.RECONNECTED);
      assertThat(client.connections().current()).as("moved off the stopped node").isNotZero();
      assertThat(observer.exists(path)).map(Stat::getEphemeralOwner).contains(session.id());
    } finally {
      cluster.startNode(target);
    }
    session.close();
    assertThat(exists(path)).isFalse();
    awaitRoleKnown(target);
  }

  /** Waits until a restarted node has rejoined (knows the leader), so that later tests see three nodes. */
  private static void awaitRoleKnown(int id) {
    await().atMost(WAIT).until(() -> {
      Role role = cluster.node(id).status().getRole();
      return role == Role.FOLLOWER || role == Role.LEADER;
    });
  }
}
