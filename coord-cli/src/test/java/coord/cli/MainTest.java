package coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import coord.api.v1.ErrorCode;
import coord.api.v1.Stat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Date;
import org.junit.jupiter.api.Test;

/** What {@code coord} does without a cluster: usage, version, unreachable endpoints, formatting. */
class MainTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A loopback endpoint where nothing listens (a port that was free a moment ago). */
  static String deadEndpoint() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private final Cli coord = new Cli(null);

  @Test
  void versionAndHelp() {
    Cli.Result version = coord.run("--version");
    assertThat(version.exit()).isZero();
    assertThat(version.out()).matches("coord \\d+\\.\\d+\\.\\d+.*\\n");

    Cli.Result help = coord.run("help");
    assertThat(help.exit()).isZero();
    assertThat(help.out()).contains("create", "get", "set", "delete", "deleteall", "ls", "stat", "exists",
        "sync", "watch", "addWatch", "removewatches", "cluster", "--endpoints", "--output", "--timeout",
        "Exit codes", "7 watch history compacted");
    assertThat(coord.run("help", "create").out()).contains("-e", "-c", "-t", "--session-timeout");
    assertThat(coord.run("help", "watch").out()).contains("--recursive", "--from-zxid", "--count", "--wait");

    Cli.Result lsHelp = coord.run("help", "ls");
    assertThat(lsHelp.exit()).isZero();
    assertThat(lsHelp.out()).contains("-R", "--stale", "--endpoints");
    assertThat(coord.run("ls", "--help").out()).isEqualTo(lsHelp.out());
  }

  @Test
  void usageErrorsExitWith2() {
    Cli.Result none = coord.run();
    assertThat(none.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(none.out()).isEmpty();
    assertThat(none.err()).contains("Usage: coord");

    assertThat(coord.run("frobnicate").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(coord.run("cluster").exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(coord.run("ls").err()).contains("Missing required parameter");
    assertThat(coord.run("-o", "yaml", "ls", "/").exit()).isEqualTo(ExitCodes.USAGE);

    Cli.Result badEndpoints = coord.run("--endpoints", "nohost", "ls", "/");
    assertThat(badEndpoints.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badEndpoints.err()).startsWith("--endpoints: invalid endpoint 'nohost'");

    Cli.Result badTimeout = coord.run("--timeout", "0", "ls", "/");
    assertThat(badTimeout.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(badTimeout.err()).contains("--timeout");
  }

  @Test
  void unreachableClusterExitsWith5() throws Exception {
    String dead = deadEndpoint();
    Cli.Result text = coord.run("--endpoints", dead, "--timeout", "0.5", "get", "/a");
    assertThat(text.exit()).as(text.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(text.out()).isEmpty();
    assertThat(text.err()).startsWith("UNAVAILABLE: ").contains(dead);

    Cli.Result json = coord.run("--endpoints", dead, "--timeout", "0.5", "-o", "json", "create", "/a");
    assertThat(json.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
    JsonNode error = JSON.readTree(json.err());
    assertThat(error.get("error").asText()).isEqualTo("UNAVAILABLE");
    assertThat(error.get("path").asText()).isEqualTo("/a");
    assertThat(error.get("message").asText()).startsWith("UNAVAILABLE: ");

    Cli.Result status = new Cli(dead).run("cluster", "status", "--timeout", "1");
    assertThat(status.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(status.out()).startsWith("id=- endpoint=" + dead + " role=DOWN reason=UNAVAILABLE: ");
  }

  @Test
  void sessionAndWatchFlagsThatDoNotGoTogetherAreUsageErrors() {
    Cli offline = new Cli(deadEndpoint()); // each is refused before any call
    String[][] usages = {
        {"create", "-c", "-e", "/a"},
        {"create", "-c", "-s", "/a"},
        {"create", "-c", "-t", "100", "/a"},
        {"create", "-e", "-t", "100", "/a"},
        {"create", "-t", "0", "/a"},
        {"create", "-e", "--session-timeout", "0", "/a"},
        {"get", "-w", "--stale", "/a"},
        {"get", "-w", "--wait", "0", "/a"},
        {"ls", "-w", "-R", "/a"},
        {"stat", "-w", "--stale", "/a"},
        {"watch", "--count", "0", "/a"},
        {"watch", "--wait", "-1", "/a"},
        {"watch", "--from-zxid", "abc", "/a"},
        {"watch", "--from-zxid", "-5", "/a"},
        {"addWatch", "-m", "ONCE", "/a"},
    };
    for (String[] args : usages) {
      Cli.Result r = offline.run(args);
      assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
      assertThat(r.out()).as(r.toString()).isEmpty();
      assertThat(r.err()).as(r.toString()).isNotEmpty().doesNotContain("UNAVAILABLE");
    }
    assertThat(offline.run("create", "-c", "-e", "/a").err()).isEqualTo("-c cannot be combined with -s, -e or -t\n");
  }

  @Test
  void removewatchesIsForAnInteractiveShell() {
    Cli.Result r = coord.run("removewatches", "/a", "-c");
    assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).startsWith("removewatches is meaningful only in an interactive shell");
  }

  @Test
  void endpointsComeFromTheOptionThenTheEnvironmentThenTheDefault() {
    GlobalOptions options = new GlobalOptions();
    assertThat(options.endpoints(java.util.Map.of())).isEqualTo("127.0.0.1:2281,127.0.0.1:2282,127.0.0.1:2283");
    assertThat(options.endpoints(java.util.Map.of("COORD_ENDPOINTS", "h:1"))).isEqualTo("h:1");
    options.endpoints = "o:2";
    assertThat(options.endpoints(java.util.Map.of("COORD_ENDPOINTS", "h:1"))).isEqualTo("o:2");
  }

  @Test
  void everyErrorCodeHasADocumentedExitCode() {
    assertThat(ExitCodes.of(ErrorCode.NO_NODE)).isEqualTo(1);
    for (ErrorCode c : new ErrorCode[] {ErrorCode.NODE_EXISTS, ErrorCode.BAD_VERSION, ErrorCode.NOT_EMPTY,
        ErrorCode.NO_CHILDREN_FOR_EPHEMERALS, ErrorCode.SESSION_EXPIRED}) {
      assertThat(ExitCodes.of(c)).as(c.name()).isEqualTo(3);
    }
    for (ErrorCode c : new ErrorCode[] {ErrorCode.INVALID_PATH, ErrorCode.DATA_TOO_LARGE, ErrorCode.INVALID_ARGUMENT}) {
      assertThat(ExitCodes.of(c)).as(c.name()).isEqualTo(4);
    }
    assertThat(ExitCodes.of(ErrorCode.UNAVAILABLE)).isEqualTo(5);
    assertThat(ExitCodes.of(ErrorCode.TIMEOUT)).isEqualTo(5);
    assertThat(ExitCodes.of(ErrorCode.INTERNAL)).isEqualTo(6);
    assertThat(ExitCodes.of(ErrorCode.NO_AUTH)).isEqualTo(6);
  }

  @Test
  void statBlockIsZkClis() {
    Stat stat = Stat.newBuilder()
        .setCzxid(0x10000).setMzxid(0x10002).setPzxid(0x10001)
        .setCtime(1_795_000_000_000L).setMtime(1_795_000_001_000L)
        .setVersion(2).setCversion(1).setDataLength(4).setNumChildren(1)
        .build();
    StringWriter out = new StringWriter();
    new Output(new PrintWriter(out), new PrintWriter(new StringWriter()), false).statBlock(stat);
    assertThat(out.toString().lines().toList()).containsExactly(
        "cZxid = 0x10000",
        "ctime = " + new Date(1_795_000_000_000L),
        "mZxid = 0x10002",
        "mtime = " + new Date(1_795_000_001_000L),
        "pZxid = 0x10001",
        "cversion = 1",
        "dataVersion = 2",
        "aclVersion = 0",
        "ephemeralOwner = 0x0",
        "dataLength = 4",
        "numChildren = 1");
  }
}
