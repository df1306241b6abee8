package coord.bench.peers;

import coord.bench.BenchClient;
import coord.bench.SetupException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZKUtil;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BenchClient} over one ZooKeeper handle. Linearizable reads are {@code sync} + {@code getData}
 * (ZooKeeper's own recipe; its plain reads are served locally), sent back to back: a session's requests
 * are answered in order, so the read sees at least what the leader had committed at the sync.
 */
final class ZooKeeperBenchClient implements BenchClient {
  private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperBenchClient.class);

  private final ZooKeeper zk;
  private final Duration requestTimeout;

  ZooKeeperBenchClient(ZooKeeper zk, Duration requestTimeout) {
    this.zk = zk;
    this.requestTimeout = requestTimeout;
  }

  @Override
  public void createPrefix(String prefix) {
    try {
      zk.create(prefix, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    } catch (KeeperException.NodeExistsException e) {
      throw new SetupException(SetupException.Kind.PREFIX_EXISTS,
          prefix + " exists already: delete it (zkCli.sh deleteall " + prefix + ") or choose another --prefix", e);
    } catch (KeeperException e) {
      throw setupFailure("create " + prefix, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SetupException(SetupException.Kind.FAILED, "interrupted", e);
    }
  }

  @Override
  public CompletableFuture<?> create(String path, byte[] value) {
    CompletableFuture<String> f = new CompletableFuture<>();
    zk.create(path, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
        (rc, p, ctx, name) -> complete(f, rc, p, name), null);
    return bounded(f);
  }

  @Override
  public CompletableFuture<Long> write(String path, byte[] value) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    zk.setData(path, value, -1, (rc, p, ctx, stat) -> complete(f, rc, p, stat == null ? null : stat.getMzxid()), null);
    return bounded(f);
  }

  @Override
  public CompletableFuture<String> createSequential(String base, byte[] value) {
    CompletableFuture<String> f = new CompletableFuture<>();
    zk.create(base, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL,
        (rc, p, ctx, name) -> complete(f, rc, p, name), null);
    return bounded(f);
  }

  @Override
  public CompletableFuture<?> delete(String path) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    zk.delete(path, -1, (rc, p, ctx) -> complete(f, rc, p, null), null);
    return bounded(f);
  }

  @Override
  public CompletableFuture<?> read(String path, boolean linearizable) {
    CompletableFuture<Void> synced = new CompletableFuture<>();
    if (linearizable) {
      zk.sync(path, (rc, p, ctx) -> complete(synced, rc, p, null), null);
    } else {
      synced.complete(null);
    }
    CompletableFuture<byte[]> read = new CompletableFuture<>();
    zk.getData(path, false, (rc, p, ctx, data, stat) -> complete(read, rc, p, data), null);
    return bounded(synced.thenCombine(read, (s, data) -> data));
  }

  @Override
  public Subscription watchChanges(String prefix, ChangeListener listener) {
    Watcher watcher = event -> {
      if (event.getType() == Watcher.Event.EventType.NodeDataChanged) {
        listener.changed(event.getZxid(), System.nanoTime());
      }
    };
    try {
      zk.addWatch(prefix, watcher, AddWatchMode.PERSISTENT_RECURSIVE);
    } catch (KeeperException e) {
      throw setupFailure("addWatch " + prefix, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SetupException(SetupException.Kind.FAILED, "interrupted", e);
    }
    return () -> {
      try {
        zk.removeWatches(prefix, watcher, Watcher.WatcherType.Any, true);
      } catch (KeeperException e) {
        LOG.debug("removing the watch on {}: {}", prefix, e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Override
  public void deleteAll(String prefix) {
    try {
      ZKUtil.deleteRecursive(zk, prefix);
    } catch (KeeperException.NoNodeException e) {
      // nothing to delete
    } catch (KeeperException e) {
      throw new IllegalStateException("delete " + prefix + ": " + e.code(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deleting " + prefix, e);
    }
  }

  @Override
  public void close() {
    ZooKeeperSystem.closeQuietly(zk);
  }

  private <T> CompletableFuture<T> bounded(CompletableFuture<T> f) {
    return f.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static <T> void complete(CompletableFuture<T> f, int rc, String path, T value) {
    if (rc == KeeperException.Code.OK.intValue()) {
      f.complete(value);
    } else {
      f.completeExceptionally(KeeperException.create(KeeperException.Code.get(rc), path));
    }
  }

  private static SetupException setupFailure(String what, KeeperException e) {
    return new SetupException(new ZooKeeperSystem().isUnavailable(e)
        ? SetupException.Kind.UNAVAILABLE : SetupException.Kind.FAILED, what + ": " + e.code(), e);
  }
}
