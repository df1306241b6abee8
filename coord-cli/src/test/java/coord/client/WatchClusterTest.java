package coord.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coord.api.v1.CreateMode;
import coord.api.v1.EventType;
import coord.api.v1.Role;
import coord.api.v1.Stat;
import coord.api.v1.WatchEvent;
import coord.api.v1.WatchMode;
import coord.server.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Client watches against a real three-node cluster: one-shot watches with their reads, a recursive watch
 * under concurrent writers, and a persistent watch that moves to another node when its node stops. Every
 * event is compared with the zxids the writes returned.
 */
class WatchClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  static Path dir;

  private static TestCluster cluster;
  private static CoordClient writer;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    writer = CoordClient.builder().endpoints(cluster.clientEndpoints()).requestTimeout(Duration.ofSeconds(30)).build();
  }

  @AfterAll
  static void stop() {
    if (writer != null) {
      writer.close();
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

  private CoordClient clientOn(int first) {
    CoordClient client = CoordClient.builder().endpoints(cluster.endpointsStartingWith(first))
        .requestTimeout(Duration.ofSeconds(30)).build();
    toClose.add(0, client);
    return client;
  }

  /** Events as "TYPE path zxid", one string per event, and the zxid batches as delivered. */
  static final class Collector implements WatchListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Long> batches = new CopyOnWriteArrayList<>();
    final List<String> ends = new CopyOnWriteArrayList<>();

    @Override
    public void onEvents(List<WatchEvent> list) {
      batches.add(list.get(0).getZxid());
      for (WatchEvent e : list) {
        assertThat(e.getZxid()).isEqualTo(list.get(0).getZxid());
        events.add(line(e.getType(), e.getPath(), e.getZxid()));
      }
    }

    @Override
    public void onRemoved() {
      ends.add("removed");
    }

    @Override
    public void onCompacted(long oldestZxid) {
      ends.add("compacted");
    }

    @Override
    public void onError(CoordException e) {
      ends.add("error " + e.code());
    }
  }

  static String line(EventType type, String path, long zxid) {
    return type + " " + path + " " + zxid;
  }

  @Test
  void oneShotWatchesFireOnceWithTheFirstChangeAfterTheirRead() {
    CoordClient client = clientOn(1);
    writer.create("/one", null, CreateMode.PERSISTENT);
    writer.create("/one/d", "v0".getBytes(), CreateMode.PERSISTENT);
    Collector data = new Collector();
    Collector missing = new Collector();
    Collector children = new Collector();
    Collector barrier = new Collector();

    assertThat(client.getData("/one/d", data).data()).isEqualTo("v0".getBytes());
    assertThat(client.exists("/one/m", missing)).isEmpty();
    assertThat(client.getChildren("/one", children).names()).containsExactly("d");
    client.watch("/one", WatchMode.WATCH_PERSISTENT_RECURSIVE, OptionalLong.empty(), barrier);

    Stat set1 = writer.setData("/one/d", "v1".getBytes(), -1);
    Stat set2 = writer.setData("/one/d", "v2".getBytes(), -1);
    Created m = writer.create("/one/m", null, CreateMode.PERSISTENT);
    long mDeleted = writer.deleteResponse("/one/m", -1).join().getHeader().getZxid();

    // The recursive watch saw all four; the one-shot watches, delivered on the same ordered thread
    // before it, saw only their first.
    await().atMost(WAIT).until(() -> barrier.batches.size() == 4);
    assertThat(barrier.batches).containsExactly(set1.getMzxid(), set2.getMzxid(), m.stat().getCzxid(), mDeleted);
    assertThat(data.events).containsExactly(line(EventType.NODE_DATA_CHANGED, "/one/d", set1.getMzxid()));
    assertThat(data.ends).containsExactly("removed");
    assertThat(missing.events).containsExactly(line(EventType.NODE_CREATED, "/one/m", m.stat().getCzxid()));
    assertThat(missing.ends).containsExactly("removed");
    assertThat(children.events).containsExactly(line(EventType.NODE_CHILDREN_CHANGED, "/one", m.stat().getCzxid()));
    assertThat(children.ends).containsExactly("removed");
  }

  @Test
  void aChangeBetweenTheReadAndTheWatchIsNotMissed() {
    CoordClient client = clientOn(2);
    Created node = writer.create("/gap", "a".getBytes(), CreateMode.PERSISTENT);
    long readZxid = client.exists("/gap").map(Stat::getMzxid).orElseThrow();
    assertThat(readZxid).isEqualTo(node.stat().getCzxid());
    Stat changed = writer.setData("/gap", "b".getBytes(), -1); // after the "read", before the watch
    Collector seen = new Collector();

    client.watch("/gap", WatchMode.WATCH_DATA, OptionalLong.of(readZxid), seen);

    await().atMost(WAIT).until(() -> seen.ends.size() == 1);
    assertThat(seen.events).containsExactly(line(EventType.NODE_DATA_CHANGED, "/gap", changed.getMzxid()));
  }

  @Test
  void recursiveWatchSeesEveryChangeOfTheSubtreeInZxidOrderUnderConcurrentWriters() throws Exception {
    CoordClient client = clientOn(3);
    writer.create("/r", null, CreateMode.PERSISTENT);
    Collector seen = new Collector();
    client.watch("/r", WatchMode.WATCH_PERSISTENT_RECURSIVE, OptionalLong.empty(), seen);
    writer.create("/outside", null, CreateMode.PERSISTENT); // not under /r

    int writers = 4;
    int rounds = 15;
    List<String> expected = Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < writers; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          try (CoordClient own = CoordClient.builder().endpoints(cluster.clientEndpoints()).build()) {
            for (int i = 0; i < rounds; i++) {
              String p = "/r/w" + thread + "-" + i;
              expected.add(line(EventType.NODE_CREATED, p, own.create(p, null, CreateMode.PERSISTENT).stat().getCzxid()));
              expected.add(line(EventType.NODE_DATA_CHANGED, p, own.setData(p, "x".getBytes(), 0).getMzxid()));
              if (i % 3 == 0) {
                expected.add(line(EventType.NODE_DELETED, p, own.deleteResponse(p, -1).join().getHeader().getZxid()));
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    List<String> inZxidOrder = expected.stream()
        .sorted((a, b) -> Long.compare(zxidOf(a), zxidOf(b)))
        .toList();

    await().atMost(WAIT).until(() -> seen.events.size() >= inZxidOrder.size());
    assertThat(seen.events).containsExactlyElementsOf(inZxidOrder);
    assertThat(seen.batches).isSorted().doesNotHaveDuplicates();
  }

  @ParameterizedTest(name = "stop the {0} the watch is attached to")
  @ValueSource(strings = {"follower", "leader"})
  void persistentWatchSurvivesTheStopOfItsNodeWithoutGapOrDuplicate(String which) throws Exception {
    int leader = cluster.awaitLeader();
    int target = which.equals("leader") ? leader : (leader % 3) + 1;
    String root = "/f-" + which;
    writer.create(root, null, CreateMode.PERSISTENT);
    CoordClient client = clientOn(target);
    Collector seen = new Collector();
    WatchSubscription watch = client.watch(root, WatchMode.WATCH_PERSISTENT_RECURSIVE, OptionalLong.empty(), seen);

    List<String> acknowledged = new CopyOnWriteArrayList<>();
    AtomicBoolean stopWriting = new AtomicBoolean();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    Future<Integer> writes = pool.submit(() -> {
      int i = 0;
      while (!stopWriting.get() || i < 40) {
        String p = root + "/n" + i;
        acknowledged.add(line(EventType.NODE_CREATED, p, writer.create(p, null, CreateMode.PERSISTENT).stat().getCzxid()));
        acknowledged.add(line(EventType.NODE_DATA_CHANGED, p, writer.setData(p, "y".getBytes(), -1).getMzxid()));
        i++;
      }
      return i;
    });
    try {
      await().atMost(WAIT).until(() -> seen.events.size() >= 10); // the watch is live on its node
      cluster.stopNode(target);
      int before = acknowledged.size();
      await().atMost(WAIT).until(() -> acknowledged.size() >= before + 20); // writes go on meanwhile
      stopWriting.set(true);
      writes.get(2, TimeUnit.MINUTES);
    } finally {
      pool.shutdownNow();
      cluster.startNode(target);
    }

    await().atMost(WAIT).until(() -> seen.events.size() >= acknowledged.size());
    assertThat(seen.events).containsExactlyElementsOf(acknowledged); // one writer: its order is zxid order
    assertThat(seen.batches).isSorted().doesNotHaveDuplicates();
    assertThat(seen.ends).isEmpty();
    assertThat(client.connections().current()).as("the watch stream moved off the stopped node").isNotZero();
    assertThat(watch.isActive()).isTrue();
    assertThat(watch.lastZxid()).hasValue(zxidOf(acknowledged.get(acknowledged.size() - 1)));
    awaitRoleKnown(target);
  }

  private static long zxidOf(String line) {
    return Long.parseLong(line.substring(line.lastIndexOf(' ') + 1));
  }

  private static void awaitRoleKnown(int id) {
    await().atMost(WAIT).until(() -> {
      Role role = cluster.node(id).status().getRole();
      return role == Role.FOLLOWER || role == Role.LEADER;
    });
  }
}
