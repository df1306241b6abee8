package coord.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.GetOption;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workloads against one etcd member on loopback (Debian's etcd-server; skipped when no {@code etcd}
 * is on the PATH: bench/compare.sh installs it).
 */
class EtcdSmokeTest extends PeerWorkloadSmoke {
  @TempDir
  static Path dir;

  static Process etcd;
  static String endpoints;
  static Client client;

  @BeforeAll
  static void startEtcd() throws Exception {
    Path binary = onPath("etcd");
    Assumptions.assumeTrue(binary != null, "etcd is not installed (apt-get install etcd-server)");
    int clientPort = FreePorts.one();
    int peerPort = FreePorts.one();
    String clientUrl = "http://127.0.0.1:" + clientPort;
    String peerUrl = "http://127.0.0.1:" + peerPort;
    etcd = new ProcessBuilder(binary.toString(), "--name", "smoke", "--data-dir", dir.resolve("data").toString(),
        "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", "smoke=" + peerUrl, "--initial-cluster-state", "new")
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("etcd.log").toFile())
        .start();
    endpoints = "127.0.0.1:" + clientPort;
    client = Client.builder().endpoints(clientUrl).build();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
      assertThat(etcd.isAlive()).as(Files.readString(dir.resolve("etcd.log"))).isTrue();
      client.getKVClient().get(ByteSequence.from("/", StandardCharsets.UTF_8)).get(2, TimeUnit.SECONDS);
      return true;
    });
  }

  @AfterAll
  static void stopEtcd() throws Exception {
    if (client != null) {
      client.close();
    }
    if (etcd != null) {
      etcd.destroy();
      if (!etcd.waitFor(20, TimeUnit.SECONDS)) {
        etcd.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  String system() {
    return EtcdSystem.NAME;
  }

  @Override
  String endpoints() {
    return endpoints;
  }

  @Override
  boolean exists(String prefix) throws Exception {
    return client.getKVClient()
        .get(ByteSequence.from(prefix, StandardCharsets.UTF_8), GetOption.builder().isPrefix(true).withCountOnly(true).build())
        .get(10, TimeUnit.SECONDS).getCount() > 0;
  }

  private static Path onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String d : path.split(File.pathSeparator)) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }
}
