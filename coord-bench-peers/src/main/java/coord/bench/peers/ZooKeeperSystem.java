package coord.bench.peers;

import coord.bench.BenchClient;
import coord.bench.BenchSystem;
import coord.bench.SetupException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * Apache ZooKeeper through its official Java client (org.apache.zookeeper:zookeeper, async API), one
 * {@link ZooKeeper} handle (one session, one TCP connection) per benchmark client.
 */
public final class ZooKeeperSystem implements BenchSystem {
  public static final String NAME = "zookeeper";
  /** ZooKeeper's usual session timeout; the server caps it to 20 ticks (40 s with tickTime=2000). */
  static final int SESSION_TIMEOUT_MS = 30_000;

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> defaultEndpoints(Map<String, String> env) {
    return List.of("127.0.0.1:2181");
  }

  @Override
  public BenchClient connect(List<String> endpoints, Duration requestTimeout) {
    List<InetSocketAddress> servers = endpoints.stream().map(ZooKeeperSystem::address).toList();
    CountDownLatch connected = new CountDownLatch(1);
    Watcher sessionEvents = event -> {
      if (event.getType() == Watcher.Event.EventType.None
          && event.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    };
    ZooKeeper zk;
    try {
      zk = new ZooKeeper(String.join(",", endpoints), SESSION_TIMEOUT_MS, sessionEvents, false,
          new OrderedHostProvider(servers));
    } catch (IOException e) {
      throw new SetupException(SetupException.Kind.UNAVAILABLE, "ZooKeeper client: " + e.getMessage(), e);
    }
    try {
      if (!connected.await(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        closeQuietly(zk);
        throw new SetupException(SetupException.Kind.UNAVAILABLE,
            "no ZooKeeper session with " + endpoints + " within " + requestTimeout.toMillis() + " ms", null);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(zk);
      throw new SetupException(SetupException.Kind.FAILED, "interrupted while connecting", e);
    }
    return new ZooKeeperBenchClient(zk, requestTimeout);
  }

  @Override
  public String errorName(Throwable failure) {
    if (failure instanceof KeeperException e) {
      return e.code().name();
    }
    if (failure instanceof TimeoutException) {
      return "TIMEOUT";
    }
    return failure.getClass().getSimpleName();
  }

  @Override
  public boolean isUnavailable(Throwable failure) {
    if (failure instanceof KeeperException e) {
      KeeperException.Code c = e.code();
      return c == KeeperException.Code.CONNECTIONLOSS || c == KeeperException.Code.SESSIONEXPIRED
          || c == KeeperException.Code.OPERATIONTIMEOUT;
    }
    return failure instanceof TimeoutException;
  }

  private static InetSocketAddress address(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    return InetSocketAddress.createUnresolved(endpoint.substring(0, colon),
        Integer.parseInt(endpoint.substring(colon + 1)));
  }

  static void closeQuietly(ZooKeeper zk) {
    try {
      zk.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
