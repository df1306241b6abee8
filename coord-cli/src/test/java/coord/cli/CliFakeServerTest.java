package coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLI sessions against an in-memory fake of one coord node: the CLI's own behaviour, fast. */
class CliFakeServerTest extends CliSessionTest {
  private static FakeCoordServer server;

  @BeforeAll
  static void start() throws Exception {
    server = new FakeCoordServer();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Override
  String endpoints() {
    return server.endpoint();
  }

  @Test
  void aWatchWhoseHistoryIsCompactedExitsWith7() throws Exception {
    Cli coord = new Cli(endpoints());

    Cli.Result text = coord.run("watch", "--from-zxid", "5", "/");
    assertThat(text.exit()).as(text.toString()).isEqualTo(ExitCodes.COMPACTED);
    assertThat(text.out()).isEmpty();
    assertThat(text.err()).isEqualTo("history compacted: the server no longer keeps the changes a watch on / had "
        + "to resume from (oldest resumable zxid 0x100000000); re-read, then watch again\n");

    Cli.Result json = coord.run("-o", "json", "watch", "--recursive", "--from-zxid", "0x5", "/");
    assertThat(json.exit()).isEqualTo(ExitCodes.COMPACTED);
    JsonNode error = new ObjectMapper().readTree(json.err());
    assertThat(error.get("error").asText()).isEqualTo("COMPACTED");
    assertThat(error.get("oldestZxid").asLong()).isEqualTo(FakeCoordServer.FIRST_ZXID);
  }
}
