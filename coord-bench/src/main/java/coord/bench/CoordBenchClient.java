package coord.bench;

import coord.api.v1.Consistency;
import coord.api.v1.CreateMode;
import coord.api.v1.ErrorCode;
import coord.api.v1.EventType;
import coord.api.v1.WatchEvent;
import coord.api.v1.WatchMode;
import coord.client.CoordClient;
import coord.client.CoordException;
import coord.client.WatchSubscription;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/** A {@link BenchClient} over one {@link CoordClient}. */
final class CoordBenchClient implements BenchClient {
  private final CoordClient client;

  CoordBenchClient(CoordClient client) {
    this.client = client;
  }

  /** The coord client itself, for workloads that need more than the common calls. */
  CoordClient coord() {
    return client;
  }

  @Override
  public void createPrefix(String prefix) {
    try {
      client.create(prefix, new byte[0], CreateMode.PERSISTENT);
    } catch (CoordException e) {
      if (e.code() == ErrorCode.NODE_EXISTS && prefix.equals(e.path())) {
        throw new SetupException(SetupException.Kind.PREFIX_EXISTS,
            prefix + " exists already: delete it (coord deleteall " + prefix + ") or choose another --prefix", e);
      }
      throw SetupException.of(new CoordSystem(), "create " + prefix, e);
    }
  }

  @Override
  public CompletableFuture<?> create(String path, byte[] value) {
    return client.createAsync(path, value, CreateMode.PERSISTENT);
  }

  @Override
  public CompletableFuture<Long> write(String path, byte[] value) {
    return client.setDataAsync(path, value, -1).thenApply(stat -> stat.getMzxid());
  }

  @Override
  public CompletableFuture<String> createSequential(String base, byte[] value) {
    return client.createAsync(base, value, CreateMode.PERSISTENT_SEQUENTIAL).thenApply(created -> created.path());
  }

  @Override
  public CompletableFuture<?> delete(String path) {
    return client.deleteAsync(path, -1);
  }

  @Override
  public CompletableFuture<?> read(String path, boolean linearizable) {
    return client.getDataAsync(path, linearizable ? Consistency.LINEARIZABLE : Consistency.STALE);
  }

  @Override
  public Subscription watchChanges(String prefix, ChangeListener listener) {
    try {
      WatchSubscription watch = client.watch(prefix, WatchMode.WATCH_PERSISTENT_RECURSIVE, OptionalLong.empty(),
          events -> {
            long now = System.nanoTime();
            for (WatchEvent e : events) {
              if (e.getType() == EventType.NODE_DATA_CHANGED) {
                listener.changed(e.getZxid(), now);
              }
            }
          });
      return watch::close;
    } catch (CoordException e) {
      throw SetupException.of(new CoordSystem(), "watch " + prefix, e);
    }
  }

  @Override
  public void deleteAll(String prefix) {
    try {
      client.deleteAll(prefix);
    } catch (CoordException e) {
      if (e.code() != ErrorCode.NO_NODE) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    client.close();
  }
}
