package coord.cli;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
}
