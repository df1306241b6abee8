package coord.cli;

import coord.server.TestCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The CLI sessions against a real three-node cluster (coord-server's test fixture). */
class CliClusterTest extends CliSessionTest {
  @TempDir
  static Path dir;

  private static TestCluster cluster;
  private static String endpoints;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    endpoints = cluster.clientEndpoints();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  String endpoints() {
    return endpoints;
  }
}
