package coord.bench.peers;

import coord.bench.BenchClient;
import coord.bench.SetupException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link BenchClient} over one jetcd client. etcd has no hierarchy and no sequential keys: a create is
 * a transaction that puts the key only if it does not exist (ZooKeeper's create semantics), and a
 * sequential create takes a key unique to this client ({@code base + clientId + "-" + n}). Stale reads are
 * etcd's serializable reads (from the member the client talks to); linearizable reads are its default.
 */
final class EtcdBenchClient implements BenchClient {
  /** A create found its key there already. */
  static final class KeyExistsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeyExistsException(String key) {
      super(key + " exists");
    }
  }

  private static final GetOption LINEARIZABLE = GetOption.DEFAULT;
  private static final GetOption SERIALIZABLE = GetOption.builder().withSerializable(true).build();

  private final Client client;
  private final KV kv;
  private final Duration requestTimeout;
  private final String clientId = UUID.randomUUID().toString().substring(0, 8);
  private final AtomicLong sequence = new AtomicLong();

  EtcdBenchClient(Client client, Duration requestTimeout) {
    this.client = client;
    this.kv = client.getKVClient();
    this.requestTimeout = requestTimeout;
  }

  @Override
  public void createPrefix(String prefix) {
    try {
      long under = bounded(kv.get(bytes(prefix + "/"), GetOption.builder().isPrefix(true).withCountOnly(true).build()))
          .join().getCount();
      if (under > 0) {
        throw new KeyExistsException(prefix + "/...");
      }
      createIfAbsent(prefix, new byte[0]).join();
    } catch (CompletionException | KeyExistsException e) {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof KeyExistsException) {
        throw new SetupException(SetupException.Kind.PREFIX_EXISTS, prefix + " exists already: delete it (etcdctl del --prefix "
            + prefix + ") or choose another --prefix", cause);
      }
      EtcdSystem system = new EtcdSystem();
      throw new SetupException(system.isUnavailable(cause) ? SetupException.Kind.UNAVAILABLE
          : SetupException.Kind.FAILED, "create " + prefix + ": " + system.errorName(cause)
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
    }
  }

  @Override
  public CompletableFuture<?> create(String path, byte[] value) {
    return createIfAbsent(path, value);
  }

  @Override
  public CompletableFuture<Long> write(String path, byte[] value) {
    return bounded(kv.put(bytes(path), ByteSequence.from(value))).thenApply(r -> r.getHeader().getRevision());
  }

  @Override
  public CompletableFuture<String> createSequential(String base, byte[] value) {
    String key = base + clientId + "-" + sequence.getAndIncrement();
    return createIfAbsent(key, value).thenApply(revision -> key);
  }

  @Override
  public CompletableFuture<?> delete(String path) {
    return bounded(kv.delete(bytes(path)));
  }

  @Override
  public CompletableFuture<?> read(String path, boolean linearizable) {
    return bounded(kv.get(bytes(path), linearizable ? LINEARIZABLE : SERIALIZABLE));
  }

  @Override
  public Subscription watchChanges(String prefix, ChangeListener listener) {
    CompletableFuture<Void> created = new CompletableFuture<>();
    WatchOption option = WatchOption.builder().isPrefix(true).withCreateNotify(true).withNoDelete(true).build();
    Watch.Watcher watcher = client.getWatchClient().watch(bytes(prefix + "/"), option, new Watch.Listener() {
      @Override
      public void onNext(WatchResponse response) {
        long now = System.nanoTime();
        if (response.isCreatedNotify()) {
          created.complete(null);
        }
        for (WatchEvent e : response.getEvents()) {
          if (e.getEventType() == WatchEvent.EventType.PUT) {
            listener.changed(e.getKeyValue().getModRevision(), now);
          }
        }
      }

      @Override
      public void onError(Throwable t) {
        created.completeExceptionally(t);
      }

      @Override
      public void onCompleted() {
        created.completeExceptionally(new IllegalStateException("watch closed"));
      }
    });
    try {
      created.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      watcher.close();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new SetupException(SetupException.Kind.FAILED, "watch " + prefix + "/: " + e, e);
    }
    return watcher::close;
  }

  @Override
  public void deleteAll(String prefix) {
    bounded(kv.delete(bytes(prefix + "/"), DeleteOption.builder().isPrefix(true).build())).join();
    bounded(kv.delete(bytes(prefix))).join();
  }

  @Override
  public void close() {
    client.close();
  }

  /** Puts {@code key} if it has never been created (or was deleted since); fails with KeyExistsException. */
  private CompletableFuture<Long> createIfAbsent(String key, byte[] value) {
    ByteSequence k = bytes(key);
    return bounded(kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
        .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
        .commit())
        .thenApply(r -> {
          if (!r.isSucceeded()) {
            throw new KeyExistsException(key);
          }
          return r.getHeader().getRevision();
        });
  }

  private <T> CompletableFuture<T> bounded(CompletableFuture<T> f) {
    return f.orTimeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }
}
