package coord.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workloads against one in-JVM standalone ZooKeeper 3.9.5 server (fsync on, the defaults) on loopback. */
class ZooKeeperSmokeTest extends PeerWorkloadSmoke {
  @TempDir
  static Path dir;

  static ZooKeeperServer server;
  static ServerCnxnFactory factory;
  static String endpoints;
  static ZooKeeper zk;

  @BeforeAll
  static void startServer() throws Exception {
    // a standalone server with ZooKeeper's defaults (forceSync on), as ZooKeeper's own tests start one
    server = new ZooKeeperServer(dir.resolve("snap").toFile(), dir.resolve("log").toFile(), 2000);
    factory = ServerCnxnFactory.createFactory(new InetSocketAddress("127.0.0.1", FreePorts.one()), 100);
    factory.startup(server);
    endpoints = "127.0.0.1:" + factory.getLocalPort();
    CountDownLatch up = new CountDownLatch(1);
    zk = new ZooKeeper(endpoints, 30_000, e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        up.countDown();
      }
    });
    assertThat(up.await(30, TimeUnit.SECONDS)).as("connected to " + endpoints).isTrue();
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (zk != null) {
      zk.close();
    }
    if (factory != null) {
      factory.shutdown();
    }
    if (server != null) {
      server.shutdown();
    }
  }

  @Override
  String system() {
    return ZooKeeperSystem.NAME;
  }

  @Override
  String endpoints() {
    return endpoints;
  }

  @Override
  boolean exists(String prefix) throws Exception {
    return zk.exists(prefix, false) != null;
  }

  @Test
  void clientsTalkToTheirFirstServerAndFailOverInOrder() {
    var a = new java.net.InetSocketAddress("127.0.0.1", 1);
    var b = new java.net.InetSocketAddress("127.0.0.1", 2);
    var c = new java.net.InetSocketAddress("127.0.0.1", 3);
    OrderedHostProvider hosts = new OrderedHostProvider(List.of(b, c, a));
    assertThat(List.of(hosts.next(0), hosts.next(0), hosts.next(0), hosts.next(0))).containsExactly(b, c, a, b);
    hosts.onConnected();
    assertThat(hosts.next(0)).isEqualTo(c);
    assertThat(hosts.size()).isEqualTo(3);
  }
}
