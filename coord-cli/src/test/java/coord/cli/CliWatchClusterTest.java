package coord.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import coord.api.v1.CreateMode;
import coord.api.v1.Stat;
import coord.client.CoordClient;
import coord.client.Created;
import coord.server.TestCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's session and watch commands against a real three-node cluster: node types of {@code create},
 * the one-shot watches of {@code get/ls/stat -w}, and the streams of {@code watch} and {@code addWatch},
 * compared with the zxids the writes returned.
 */
class CliWatchClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NL = System.lineSeparator();

  @TempDir
  static Path dir;

  private static TestCluster cluster;
  private static CoordClient client;
  private static Cli coord;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    client = CoordClient.builder().endpoints(cluster.clientEndpoints()).build();
    coord = new Cli(cluster.clientEndpoints());
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String hex(long zxid) {
    return "0x" + Long.toHexString(zxid);
  }

  private static long deleted(String path) {
    // the delete's zxid is the parent's pzxid right after it
    client.delete(path, -1);
    String parent = path.substring(0, path.lastIndexOf('/'));
    return client.exists(parent.isEmpty() ? "/" : parent).orElseThrow().getPzxid();
  }

  @Test
  void watchRecursiveStreamsExactlyTheSubtreesChanges() throws Exception {
    Created root = client.create("/wr", null, CreateMode.PERSISTENT);
    Cli.Running watch = coord.start("watch", "--recursive", "--from-zxid", hex(root.stat().getCzxid()),
        "--count", "5", "--wait", "60", "/wr");

    Created a = client.create("/wr/a", null, CreateMode.PERSISTENT);
    client.create("/elsewhere", null, CreateMode.PERSISTENT);
    Stat set = client.setData("/wr/a", "x".getBytes(), -1);
    Created b = client.create("/wr/a/b", null, CreateMode.PERSISTENT);
    long bGone = deleted("/wr/a/b");
    long aGone = deleted("/wr/a");
    client.create("/wr/after-the-count", null, CreateMode.PERSISTENT);

    Cli.Result r = watch.await(WAIT);
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.err()).as(r.toString()).isEmpty();
    assertThat(r.lines()).containsExactly(
        "NodeCreated /wr/a zxid=" + hex(a.stat().getCzxid()),
        "NodeDataChanged /wr/a zxid=" + hex(set.getMzxid()),
        "NodeCreated /wr/a/b zxid=" + hex(b.stat().getCzxid()),
        "NodeDeleted /wr/a/b zxid=" + hex(bGone),
        "NodeDeleted /wr/a zxid=" + hex(aGone));
  }

  @Test
  void watchJsonIsOneObjectPerEvent() throws Exception {
    Created root = client.create("/wj", null, CreateMode.PERSISTENT);
    Cli.Running watch = coord.start("-o", "json", "watch", "--from-zxid", Long.toString(root.stat().getCzxid()),
        "--count", "2", "--wait", "60", "/wj");

    Stat set = client.setData("/wj", "1".getBytes(), -1);
    client.create("/wj/child", null, CreateMode.PERSISTENT); // NodeChildrenChanged of /wj: a plain watch sees it
    Stat childrenChanged = client.exists("/wj").orElseThrow();

    Cli.Result r = watch.await(WAIT);
    assertThat(r.exit()).as(r.toString()).isZero();
    List<JsonNode> events = r.lines().stream().map(CliWatchClusterTest::json).toList();
    assertThat(events).hasSize(2);
    assertThat(events.get(0).toString())
        .isEqualTo("{\"type\":\"NodeDataChanged\",\"path\":\"/wj\",\"zxid\":" + set.getMzxid() + "}");
    assertThat(events.get(1).toString())
        .isEqualTo("{\"type\":\"NodeChildrenChanged\",\"path\":\"/wj\",\"zxid\":" + childrenChanged.getPzxid() + "}");
  }

  @Test
  void addWatchStreamsLikeWatch() throws Exception {
    client.create("/aw", null, CreateMode.PERSISTENT);
    Cli.Running watch = coord.start("addWatch", "-m", "PERSISTENT", "--count", "1", "--wait", "60", "/aw");
    // without --from-zxid the watch starts when it is registered: change the node until it is seen
    await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
      client.setData("/aw", "x".getBytes(), -1);
      return !watch.out().isEmpty();
    });
    Cli.Result r = watch.await(WAIT);
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.lines()).singleElement().asString().matches("NodeDataChanged /aw zxid=0x[0-9a-f]+");
  }

  @Test
  void getWatchPrintsTheDataThenTheFirstChangeAsZkCliDoes() throws Exception {
    client.create("/gw", "v0".getBytes(), CreateMode.PERSISTENT);
    Cli.Running get = coord.start("get", "-w", "--wait", "60", "/gw");
    await().atMost(WAIT).until(() -> get.out().equals("v0" + NL)); // read done and watch set

    Stat first = client.setData("/gw", "v1".getBytes(), -1);
    client.setData("/gw", "v2".getBytes(), -1);

    Cli.Result r = get.await(WAIT);
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.lines()).containsExactly("v0", "WATCHER::",
        "WatchedEvent state:SyncConnected type:NodeDataChanged path:/gw zxid:" + hex(first.getMzxid()));
    assertThat(r.err()).isEmpty();
  }

  @Test
  void getWatchJson() throws Exception {
    client.create("/gj", "v0".getBytes(), CreateMode.PERSISTENT);
    Cli.Running get = coord.start("get", "-w", "-o", "json", "--wait", "60", "/gj");
    await().atMost(WAIT).until(() -> !get.out().isEmpty());

    long gone = deleted("/gj");

    Cli.Result r = get.await(WAIT);
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.lines()).hasSize(2);
    assertThat(json(r.lines().get(0)).get("data").asText()).isEqualTo("v0");
    assertThat(r.lines().get(1)).isEqualTo("{\"type\":\"NodeDeleted\",\"path\":\"/gj\",\"zxid\":" + gone + "}");
  }

  @Test
  void lsWatchFiresOnTheNextChildChange() throws Exception {
    client.create("/lw", null, CreateMode.PERSISTENT);
    Cli.Running ls = coord.start("ls", "-w", "--wait", "60", "/lw");
    await().atMost(WAIT).until(() -> ls.out().equals("[]" + NL));

    client.setData("/lw", "not a child change".getBytes(), -1);
    Created child = client.create("/lw/c", null, CreateMode.PERSISTENT);

    Cli.Result r = ls.await(WAIT);
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.lines()).containsExactly("[]", "WATCHER::",
        "WatchedEvent state:SyncConnected type:NodeChildrenChanged path:/lw zxid:" + hex(child.stat().getCzxid()));
  }

  @Test
  void statWatchOnAMissingNodeWaitsForItsCreation() throws Exception {
    Cli.Running stat = coord.start("stat", "-w", "--wait", "60", "/sw");
    await().atMost(WAIT).until(() -> stat.err().equals("Node does not exist: /sw" + NL));

    Created created = client.create("/sw", null, CreateMode.PERSISTENT);

    Cli.Result r = stat.await(WAIT);
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.lines()).containsExactly("WATCHER::",
        "WatchedEvent state:SyncConnected type:NodeCreated path:/sw zxid:" + hex(created.stat().getCzxid()));
  }

  @Test
  void aWatchWithoutAnEventWithinWaitExitsWith5() {
    client.create("/quiet", "q".getBytes(), CreateMode.PERSISTENT);

    Cli.Result r = coord.run("get", "-w", "--wait", "0.5", "/quiet");

    assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(r.out()).isEqualTo("q" + NL);
    assertThat(r.err()).isEqualTo("no watch event on /quiet within 0.5 s" + NL);

    Cli.Result counted = coord.run("watch", "--count", "3", "--wait", "0.5", "/quiet");
    assertThat(counted.exit()).as(counted.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(counted.err()).isEqualTo("only 0 of 3 events on /quiet within 0.5 s" + NL);

    Cli.Result timed = coord.run("watch", "--wait", "0.5", "/quiet");
    assertThat(timed.exit()).as(timed.toString()).isZero();
    assertThat(timed.out()).isEmpty();
  }

  @Test
  void anEphemeralNodeOfAOneShotCreateIsGoneAfterTheCommand() {
    coord.run("create", "/eph");

    Cli.Result e = coord.run("create", "-e", "/eph/e", "data");
    assertThat(e.exit()).as(e.toString()).isZero();
    assertThat(e.out()).isEqualTo("Created /eph/e" + NL);
    assertThat(e.err()).startsWith("Note: /eph/e was ephemeral").contains("session 0x", "the node is gone");

    Cli.Result seq = coord.run("create", "-s", "-e", "--session-timeout", "4", "/eph/q-");
    assertThat(seq.exit()).as(seq.toString()).isZero();
    assertThat(seq.out()).matches("Created /eph/q-\\d{10}" + NL);

    assertThat(coord.run("exists", "/eph/e").exit()).isEqualTo(ExitCodes.NO_NODE);
    assertThat(coord.run("ls", "/eph").out()).isEqualTo("[]" + NL);

    Cli.Result json = coord.run("-o", "json", "create", "-e", "/eph/j");
    assertThat(json.exit()).as(json.toString()).isZero();
    JsonNode created = json(json.out().strip());
    assertThat(created.get("path").asText()).isEqualTo("/eph/j");
    assertThat(created.get("stat").get("ephemeralOwner").asLong()).isPositive();
    assertThat(json(json.err().strip()).get("note").asText()).isEqualTo("EPHEMERAL_ENDS_WITH_COMMAND");
  }

  @Test
  void containerAndTtlNodesShowZooKeepersOwnerEncoding() {
    Cli.Result c = coord.run("create", "-c", "/cont", "c");
    assertThat(c.exit()).as(c.toString()).isZero();
    assertThat(c.out()).isEqualTo("Created /cont" + NL);
    assertThat(coord.run("stat", "/cont").lines()).contains("ephemeralOwner = 0x8000000000000000");

    Cli.Result t = coord.run("create", "-t", "60000", "/ttl", "t");
    assertThat(t.exit()).as(t.toString()).isZero();
    assertThat(t.err()).isEmpty();
    assertThat(coord.run("stat", "/ttl").lines()).contains("ephemeralOwner = 0xff0000000000ea60");

    coord.run("create", "/ttlq");
    Cli.Result ts = coord.run("create", "-s", "-t", "1000000", "/ttlq/n-");
    assertThat(ts.exit()).as(ts.toString()).isZero();
    assertThat(ts.out()).isEqualTo("Created /ttlq/n-0000000000" + NL);
    assertThat(coord.run("stat", "/ttlq/n-0000000000").lines()).contains("ephemeralOwner = 0xff000000000f4240");
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }
}
