package coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import coord.api.v1.CreateMode;
import coord.api.v1.Stat;
import coord.client.CoordClient;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * zkCli-style sessions through {@code coord}, in-process, against a running cluster that the subclass
 * provides. Each test works under its own top-level node, so tests may share one cluster.
 */
abstract class CliSessionTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The cluster's client endpoints, {@code host:port,...}. */
  abstract String endpoints();

  private Cli cli() {
    return new Cli(endpoints());
  }

  private static Cli.Result ok(Cli.Result r) {
    assertThat(r.exit()).as(r.toString()).isZero();
    assertThat(r.err()).as(r.toString()).isEmpty();
    return r;
  }

  private static Cli.Result fails(Cli.Result r, int exit, String stderr) {
    assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
    assertThat(r.out()).as(r.toString()).isEmpty();
    assertThat(r.err()).as(r.toString()).isEqualTo(stderr + System.lineSeparator());
    return r;
  }

  private Stat statOf(String path) {
    try (CoordClient client = CoordClient.builder().endpoints(endpoints()).build()) {
      return client.exists(path).orElseThrow();
    }
  }

  /** Asserts zkCli's stat block, line by line, against the node's stat read through the client. */
  private void assertStatBlock(List<String> lines, String path) {
    Stat s = statOf(path);
    assertThat(lines).containsExactly(
        "cZxid = 0x" + Long.toHexString(s.getCzxid()),
        "ctime = " + new Date(s.getCtime()),
        "mZxid = 0x" + Long.toHexString(s.getMzxid()),
        "mtime = " + new Date(s.getMtime()),
        "pZxid = 0x" + Long.toHexString(s.getPzxid()),
        "cversion = " + s.getCversion(),
        "dataVersion = " + s.getVersion(),
        "aclVersion = " + s.getAclVersion(),
        "ephemeralOwner = 0x0",
        "dataLength = " + s.getDataLength(),
        "numChildren = " + s.getNumChildren());
  }

  @Test
  void zkCliSession() {
    Cli coord = cli();
    assertThat(ok(coord.run("create", "/app", "hello")).out()).isEqualTo("Created /app\n");
    assertThat(ok(coord.run("create", "-s", "/app/job-", "a")).out()).isEqualTo("Created /app/job-0000000000\n");
    assertThat(ok(coord.run("create", "-s", "/app/job-", "b")).out()).isEqualTo("Created /app/job-0000000001\n");
    assertThat(ok(coord.run("create", "/app/empty")).out()).isEqualTo("Created /app/empty\n");

    assertThat(ok(coord.run("get", "/app")).out()).isEqualTo("hello\n");
    assertThat(ok(coord.run("get", "/app/empty")).out()).isEqualTo("\n");
    List<String> getS = ok(coord.run("get", "-s", "/app")).lines();
    assertThat(getS.get(0)).isEqualTo("hello");
    assertStatBlock(getS.subList(1, getS.size()), "/app");
    assertThat(getS).contains("dataVersion = 0", "dataLength = 5", "numChildren = 3");

    assertThat(ok(coord.run("set", "-v", "0", "/app", "world")).out()).isEmpty();
    fails(coord.run("set", "-v", "0", "/app", "again"), ExitCodes.PRECONDITION, "version No is not valid : /app");
    List<String> setS = ok(coord.run("set", "-s", "/app", "world!")).lines();
    assertStatBlock(setS, "/app");
    assertThat(setS).contains("dataVersion = 2", "dataLength = 6");
    assertThat(ok(coord.run("get", "/app")).out()).isEqualTo("world!\n");

    assertThat(ok(coord.run("ls", "/app")).out()).isEqualTo("[empty, job-0000000000, job-0000000001]\n");
    List<String> lsS = ok(coord.run("ls", "-s", "/app")).lines();
    assertThat(lsS.get(0)).isEqualTo("[empty, job-0000000000, job-0000000001]");
    assertStatBlock(lsS.subList(1, lsS.size()), "/app");
    assertThat(ok(coord.run("ls", "-R", "/app")).lines())
        .containsExactly("/app", "/app/empty", "/app/job-0000000000", "/app/job-0000000001");
    assertThat(ok(coord.run("ls", "/app/empty")).out()).isEqualTo("[]\n");

    assertStatBlock(ok(coord.run("stat", "/app")).lines(), "/app");
    assertStatBlock(ok(coord.run("exists", "/app")).lines(), "/app");
    fails(coord.run("exists", "/app/nope"), ExitCodes.NO_NODE, "Node does not exist: /app/nope");
    fails(coord.run("stat", "/app/nope"), ExitCodes.NO_NODE, "Node does not exist: /app/nope");

    fails(coord.run("delete", "/app"), ExitCodes.PRECONDITION, "Node not empty: /app");
    fails(coord.run("delete", "-v", "7", "/app/empty"), ExitCodes.PRECONDITION,
        "version No is not valid : /app/empty");
    assertThat(ok(coord.run("delete", "-v", "0", "/app/empty")).out()).isEmpty();
    assertThat(ok(coord.run("delete", "/app/job-0000000000")).out()).isEmpty();
    fails(coord.run("get", "/app/job-0000000000"), ExitCodes.NO_NODE, "Node does not exist: /app/job-0000000000");
    assertThat(ok(coord.run("deleteall", "/app")).out()).isEmpty();
    fails(coord.run("exists", "/app"), ExitCodes.NO_NODE, "Node does not exist: /app");
  }

  @Test
  void errorsHaveZkCliWordsAndDocumentedExitCodes() {
    Cli coord = cli();
    ok(coord.run("create", "/err", "x"));
    fails(coord.run("create", "/err"), ExitCodes.PRECONDITION, "Node already exists: /err");
    fails(coord.run("get", "/err-missing"), ExitCodes.NO_NODE, "Node does not exist: /err-missing");
    fails(coord.run("set", "/err-missing", "x"), ExitCodes.NO_NODE, "Node does not exist: /err-missing");
    fails(coord.run("delete", "/err-missing"), ExitCodes.NO_NODE, "Node does not exist: /err-missing");
    fails(coord.run("deleteall", "/err-missing"), ExitCodes.NO_NODE, "Node does not exist: /err-missing");
    fails(coord.run("ls", "/err-missing"), ExitCodes.NO_NODE, "Node does not exist: /err-missing");
    fails(coord.run("ls", "-R", "/err-missing"), ExitCodes.NO_NODE, "Node does not exist: /err-missing");

    Cli.Result noParent = coord.run("create", "/err-missing/child");
    assertThat(noParent.exit()).as(noParent.toString()).isEqualTo(ExitCodes.NO_NODE);
    assertThat(noParent.err()).startsWith("Node does not exist: /err-missing");

    Cli.Result badPath = coord.run("create", "err-no-slash");
    assertThat(badPath.exit()).as(badPath.toString()).isEqualTo(ExitCodes.INVALID);
    assertThat(badPath.err()).startsWith("INVALID_PATH: ");
    Cli.Result root = coord.run("delete", "/");
    assertThat(root.exit()).as(root.toString()).isEqualTo(ExitCodes.INVALID);
    assertThat(root.err()).startsWith("INVALID_ARGUMENT: ");

    assertThat(coord.run("get").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(coord.run("set", "/err").exit()).isEqualTo(ExitCodes.USAGE);
    Cli.Result badVersion = coord.run("delete", "-v", "one", "/err");
    assertThat(badVersion.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badVersion.err()).contains("-v");
    assertThat(coord.run("create", "-x", "/err").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(ok(coord.run("get", "/err")).out()).isEqualTo("x\n");
  }

  @Test
  void jsonOutputHasOneObjectPerResult() throws Exception {
    Cli coord = cli();
    JsonNode created = json(ok(coord.run("-o", "json", "create", "/js", "hello")));
    assertThat(created.get("path").asText()).isEqualTo("/js");
    assertStatJson(created.get("stat"), "/js");

    JsonNode seq = json(ok(coord.run("create", "-s", "-o", "json", "/js/n-")));
    assertThat(seq.get("path").asText()).isEqualTo("/js/n-0000000000");

    JsonNode got = json(ok(coord.run("get", "/js", "--output", "json")));
    assertThat(got.get("path").asText()).isEqualTo("/js");
    assertThat(got.get("data").asText()).isEqualTo("hello");
    assertThat(got.has("dataBase64")).isFalse();
    assertStatJson(got.get("stat"), "/js");

    try (CoordClient client = CoordClient.builder().endpoints(endpoints()).build()) {
      client.create("/js/bin", new byte[] {(byte) 0xff, 0, 1}, CreateMode.PERSISTENT);
    }
    JsonNode bin = json(ok(coord.run("-o", "json", "get", "/js/bin")));
    assertThat(bin.has("data")).isFalse();
    assertThat(bin.get("dataBase64").asText()).isEqualTo("/wAB");

    JsonNode set = json(ok(coord.run("-o", "json", "set", "-v", "0", "/js", "hi")));
    assertThat(set.get("stat").get("version").asInt()).isEqualTo(1);
    assertStatJson(set.get("stat"), "/js");

    JsonNode ls = json(ok(coord.run("-o", "json", "ls", "/js")));
    assertThat(ls.get("path").asText()).isEqualTo("/js");
    assertThat(texts(ls.get("children"))).containsExactly("bin", "n-0000000000");
    assertThat(ls.has("stat")).isFalse();
    JsonNode lsS = json(ok(coord.run("-o", "json", "ls", "-s", "/js")));
    assertStatJson(lsS.get("stat"), "/js");

    List<String> tree = ok(coord.run("-o", "json", "ls", "-R", "/js")).lines();
    assertThat(tree).hasSize(3);
    assertThat(JSON.readTree(tree.get(0)).get("path").asText()).isEqualTo("/js");
    assertThat(JSON.readTree(tree.get(1)).get("path").asText()).isEqualTo("/js/bin");
    assertThat(texts(JSON.readTree(tree.get(1)).get("children"))).isEmpty();
    assertThat(JSON.readTree(tree.get(2)).get("path").asText()).isEqualTo("/js/n-0000000000");

    JsonNode stat = json(ok(coord.run("-o", "json", "stat", "/js")));
    assertStatJson(stat.get("stat"), "/js");
    JsonNode exists = json(ok(coord.run("-o", "json", "exists", "/js")));
    assertThat(exists.get("exists").asBoolean()).isTrue();
    assertStatJson(exists.get("stat"), "/js");
    Cli.Result missing = coord.run("-o", "json", "exists", "/js/nope");
    assertThat(missing.exit()).isEqualTo(ExitCodes.NO_NODE);
    assertThat(JSON.readTree(missing.out()).get("exists").asBoolean()).isFalse();

    Cli.Result error = coord.run("-o", "json", "get", "/js/nope");
    assertThat(error.exit()).isEqualTo(ExitCodes.NO_NODE);
    assertThat(error.out()).isEmpty();
    assertThat(error.err().lines().toList()).hasSize(1);
    JsonNode e = JSON.readTree(error.err());
    assertThat(e.get("error").asText()).isEqualTo("NO_NODE");
    assertThat(e.get("path").asText()).isEqualTo("/js/nope");
    assertThat(e.get("message").asText()).isEqualTo("Node does not exist: /js/nope");

    JsonNode synced = json(ok(coord.run("-o", "json", "sync", "/js")));
    assertThat(synced.get("path").asText()).isEqualTo("/js");
    JsonNode deleted = json(ok(coord.run("-o", "json", "delete", "/js/bin")));
    assertThat(deleted.get("deleted").asInt()).isEqualTo(1);
    JsonNode all = json(ok(coord.run("-o", "json", "deleteall", "/js")));
    assertThat(all.get("path").asText()).isEqualTo("/js");
    assertThat(all.get("deleted").asLong()).isEqualTo(2);
  }

  @Test
  void lsRecursiveWalksDepthFirstInSortedOrder() {
    Cli coord = cli();
    for (String p : List.of("/tree", "/tree/b", "/tree/a", "/tree/a/y", "/tree/a/x", "/tree/a/x/deep", "/tree/c")) {
      ok(coord.run("create", p));
    }
    assertThat(ok(coord.run("ls", "-R", "/tree")).lines()).containsExactly(
        "/tree", "/tree/a", "/tree/a/x", "/tree/a/x/deep", "/tree/a/y", "/tree/b", "/tree/c");
    assertThat(ok(coord.run("ls", "-R", "--stale", "/tree/a/y")).lines()).containsExactly("/tree/a/y");
    assertThat(ok(coord.run("ls", "-R", "/")).lines()).startsWith("/").contains("/tree/a/x/deep");
    assertThat(ok(coord.run("ls", "/")).out()).contains("tree");
  }

  @Test
  void staleReadsAfterSync() {
    Cli coord = cli();
    ok(coord.run("create", "/stale", "v1"));
    ok(coord.run("sync", "/stale"));
    assertThat(ok(coord.run("get", "--stale", "/stale")).out()).isEqualTo("v1\n");
    assertThat(ok(coord.run("ls", "--stale", "/stale")).out()).isEqualTo("[]\n");
    assertStatBlock(ok(coord.run("stat", "--stale", "/stale")).lines(), "/stale");
    assertStatBlock(ok(coord.run("exists", "--stale", "/stale")).lines(), "/stale");
  }

  @Test
  void globalOptionsGoBeforeOrAfterTheCommand() throws Exception {
    Cli noEnv = new Cli(null);
    ok(noEnv.run("--endpoints", endpoints(), "create", "/glob", "g"));
    assertThat(json(ok(noEnv.run("--endpoints", endpoints(), "-o", "json", "--timeout", "5", "get", "/glob")))
        .get("data").asText()).isEqualTo("g");
    assertThat(json(ok(noEnv.run("get", "/glob", "--output", "json", "--timeout", "5", "--endpoints", endpoints())))
        .get("data").asText()).isEqualTo("g");
    assertThat(ok(noEnv.run("--endpoints", endpoints(), "get", "-o", "text", "/glob")).out()).isEqualTo("g\n");
  }

  @Test
  void clusterStatusShowsOneLinePerEndpoint() throws Exception {
    Cli coord = cli();
    String[] endpoints = endpoints().split(",");
    List<String> lines = ok(coord.run("cluster", "status")).lines();
    assertThat(lines).hasSize(endpoints.length);
    for (int i = 0; i < endpoints.length; i++) {
      assertThat(lines.get(i))
          .matches("id=\\S+ endpoint=" + endpoints[i].replace(".", "\\.")
              + " role=(LEADER|FOLLOWER|CANDIDATE|LISTENER) leader=\\S+ term=\\d+ applied=\\d+ znodes=\\d+");
    }
    assertThat(lines).anyMatch(l -> l.contains(" role=LEADER "));

    List<JsonNode> objects = new ArrayList<>();
    for (String line : ok(coord.run("cluster", "status", "-o", "json")).lines()) {
      objects.add(JSON.readTree(line));
    }
    assertThat(objects).hasSize(endpoints.length);
    assertThat(objects).allSatisfy(o -> {
      assertThat(o.get("leader").asText()).isNotEmpty();
      assertThat(o.get("znodes").asLong()).isPositive();
    });

    String down = MainTest.deadEndpoint();
    Cli.Result withDown = coord.run("--endpoints", endpoints() + "," + down, "cluster", "status", "--timeout", "2");
    assertThat(withDown.exit()).as(withDown.toString()).isZero();
    assertThat(withDown.lines()).hasSize(endpoints.length + 1);
    assertThat(withDown.lines().get(endpoints.length))
        .startsWith("id=- endpoint=" + down + " role=DOWN reason=UNAVAILABLE: ");
  }

  private JsonNode json(Cli.Result r) throws Exception {
    assertThat(r.lines()).as(r.toString()).hasSize(1);
    return JSON.readTree(r.out());
  }

  private static List<String> texts(JsonNode array) {
    List<String> result = new ArrayList<>();
    array.forEach(n -> result.add(n.asText()));
    return result;
  }

  private void assertStatJson(JsonNode json, String path) {
    Stat s = statOf(path);
    assertThat(json.size()).isEqualTo(11);
    assertThat(json.get("czxid").asLong()).isEqualTo(s.getCzxid());
    assertThat(json.get("mzxid").asLong()).isEqualTo(s.getMzxid());
    assertThat(json.get("pzxid").asLong()).isEqualTo(s.getPzxid());
    assertThat(json.get("ctime").asLong()).isEqualTo(s.getCtime());
    assertThat(json.get("mtime").asLong()).isEqualTo(s.getMtime());
    assertThat(json.get("version").asInt()).isEqualTo(s.getVersion());
    assertThat(json.get("cversion").asInt()).isEqualTo(s.getCversion());
    assertThat(json.get("aclVersion").asInt()).isEqualTo(s.getAclVersion());
    assertThat(json.get("ephemeralOwner").asLong()).isEqualTo(s.getEphemeralOwner());
    assertThat(json.get("dataLength").asInt()).isEqualTo(s.getDataLength());
    assertThat(json.get("numChildren").asInt()).isEqualTo(s.getNumChildren());
  }
}
