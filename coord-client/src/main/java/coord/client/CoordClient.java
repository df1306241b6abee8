package coord.client;

import com.google.protobuf.ByteString;
import coord.api.Errors;
import coord.api.v1.AdminGrpc;
import coord.api.v1.CloseSessionRequest;
import coord.api.v1.CloseSessionResponse;
import coord.api.v1.Consistency;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.CreateResponse;
import coord.api.v1.DeleteAllRequest;
import coord.api.v1.DeleteAllResponse;
import coord.api.v1.DeleteRequest;
import coord.api.v1.DeleteResponse;
import coord.api.v1.ErrorCode;
import coord.api.v1.ExistsRequest;
import coord.api.v1.ExistsResponse;
import coord.api.v1.GetChildrenRequest;
import coord.api.v1.GetChildrenResponse;
import coord.api.v1.GetDataRequest;
import coord.api.v1.GetDataResponse;
import coord.api.v1.OpenSessionRequest;
import coord.api.v1.OpenSessionResponse;
import coord.api.v1.RequestId;
import coord.api.v1.SetDataRequest;
import coord.api.v1.SetDataResponse;
import coord.api.v1.Stat;
import coord.api.v1.StatusRequest;
import coord.api.v1.StatusResponse;
import coord.api.v1.SyncRequest;
import coord.api.v1.SyncResponse;
import coord.api.v1.WatchMode;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A coord client: ZooKeeper-style calls over gRPC to any node of a cluster, with failover.
 *
 * <p>Each call goes to the "current" endpoint. When that endpoint is unavailable, does not answer within
 * the per-attempt deadline, or its connection breaks, the call moves on to the next endpoint (round robin)
 * and is sent again after a short backoff, until {@link Builder#requestTimeout} is spent; it then fails
 * with {@code UNAVAILABLE} or {@code TIMEOUT}. Business errors ({@code NO_NODE}, {@code BAD_VERSION}, ...)
 * are never retried. Every write carries a {@link RequestId} made of this client's random id and a call
 * number; its retries reuse it, so the server applies the write at most once.
 *
 * <p>Thread-safe. The {@code ...Async} methods never block; their futures complete, exceptionally with a
 * {@link CoordException}, on the client's callback pool ({@link Builder#callbackExecutor}): a work-stealing
 * pool of {@code max(2, cores)} threads that adds a thread while one of its threads waits for another call's
 * future, so a callback may call this client's plain methods. Other long blocking work in a callback holds
 * up the answers behind it: chain it with an executor of your own ({@code thenApplyAsync(fn, executor)}).
 * The plain methods wait for the async ones and throw {@link CoordException}.
 *
 * <p>Sessions ({@link #openSession}) are kept alive by the client; watches ({@link #watch} and the reads
 * that take a {@link WatchListener}) share one stream that follows failover without missing or repeating
 * a change. Their listeners run on one event thread per client, in order. Threads: one scheduler thread
 * (retries, keep-alives), one event thread and the callback pool, all daemons, plus gRPC's network threads.
 */
public final class CoordClient implements AutoCloseable {
  private static final Duration SESSION_CLOSE_BUDGET = Duration.ofSeconds(2);

  private final Connections connections;
  /** The callback pool this client made and shuts down, or null when the caller gave an executor. */
  private final ForkJoinPool ownCallbackPool;
  private final ScheduledExecutorService scheduler;
  private final Duration requestTimeout;
  private final Duration attemptTimeout;
  private final ByteString clientId;
  private final AtomicLong nextCallId = new AtomicLong();
  private final EventQueue events = new EventQueue();
  private final WatchStream watches;
  private final Set<CoordSession> sessions = ConcurrentHashMap.newKeySet();

  private CoordClient(
      List<Endpoint> endpoints, Duration requestTimeout, Duration attemptTimeout, Executor callbacks) {
    this.ownCallbackPool = callbacks == null ? newCallbackPool() : null;
    this.connections = new Connections(endpoints, callbacks == null ? ownCallbackPool : callbacks);
    this.requestTimeout = requestTimeout;
    this.attemptTimeout = attemptTimeout;
    UUID uuid = UUID.randomUUID();
    this.clientId = ByteString.copyFrom(ByteBuffer.allocate(16)
        .putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits())
        .flip());
    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "coord-client-scheduler");
      t.setDaemon(true);
      return t;
    });
    pool.setRemoveOnCancelPolicy(true);
    this.scheduler = Executors.unconfigurableScheduledExecutorService(pool);
    this.watches = new WatchStream(connections, scheduler, events);
    // The first error read in a JVM pays its classes' loading; the first usually comes with a failover.
    scheduler.execute(Errors::preload);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * gRPC's default executor gives every answer to an idle thread of a cached pool: a thread wake-up per
   * call, which cost the load generator more CPU than the call itself. A work-stealing pool's busy workers
   * take queued answers without one. Its threads also compensate for a worker blocked in
   * {@code CompletableFuture.get} (a plain call made inside a callback), so such calls cannot starve it.
   */
  private static ForkJoinPool newCallbackPool() {
    int threads = Math.max(2, Runtime.getRuntime().availableProcessors());
    return new ForkJoinPool(threads, pool -> {
      ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      t.setName("coord-client-callbacks-" + t.getPoolIndex());
      t.setDaemon(true);
      return t;
    }, null, true);
  }

  /** The endpoints this client fails over between, normalized as {@code host:port}, in order. */
  public List<String> endpoints() {
    return connections.endpoints().stream().map(Endpoint::toString).toList();
  }

  // ---- writes ----

  /**
   * Creates a node without session or TTL: the modes that need neither.
   *
   * @throws IllegalArgumentException for a mode that needs a session or a TTL
   */
  public Created create(String path, byte[] data, CreateMode mode) {
    return create(path, data, mode, CreateOptions.none());
  }

  public CompletableFuture<Created> createAsync(String path, byte[] data, CreateMode mode) {
    return createAsync(path, data, mode, CreateOptions.none());
  }

  /**
   * Creates a node; {@code options} name its owning session (required for {@code EPHEMERAL} and
   * {@code EPHEMERAL_SEQUENTIAL}) and its TTL (required for, and only with, the {@code ..._WITH_TTL} modes).
   * A session that is not open on the cluster fails the create with {@code SESSION_EXPIRED}.
   *
   * @throws IllegalArgumentException when the options do not fit the mode
   */
  public Created create(String path, byte[] data, CreateMode mode, CreateOptions options) {
    return await(createAsync(path, data, mode, options));
  }

  /** As {@link #create(String, byte[], CreateMode, CreateOptions)}; argument errors are thrown, not returned. */
  public CompletableFuture<Created> createAsync(String path, byte[] data, CreateMode mode, CreateOptions options) {
    CreateMode m = mode == null ? CreateMode.PERSISTENT : mode;
    CreateOptions o = options == null ? CreateOptions.none() : options;
    boolean ephemeral = m == CreateMode.EPHEMERAL || m == CreateMode.EPHEMERAL_SEQUENTIAL;
    boolean ttlMode = m == CreateMode.PERSISTENT_WITH_TTL || m == CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
    if (ephemeral && o.session().isEmpty()) {
      throw new IllegalArgumentException(m + " needs a session: CreateOptions.none().session(s), or s.create(...)");
    }
    if (ttlMode && o.ttl().isEmpty()) {
      throw new IllegalArgumentException(m + " needs a TTL: CreateOptions.none().ttl(...)");
    }
    if (!ttlMode && o.ttl().isPresent()) {
      throw new IllegalArgumentException("a TTL needs mode PERSISTENT_WITH_TTL or PERSISTENT_SEQUENTIAL_WITH_TTL, not " + m);
    }
    CreateRequest.Builder request = CreateRequest.newBuilder()
        .setPath(Objects.requireNonNull(path, "path"))
        .setData(bytes(data))
        .setMode(m)
        .setRequestId(nextRequestId());
    o.session().ifPresent(session -> request.setSessionId(session.id()));
    o.ttl().ifPresent(ttl -> request.setTtlMs(ttl.toMillis()));
    CreateRequest built = request.build();
    return this.<CreateResponse>call("create " + path, (stub, obs) -> stub.create(built, obs))
        .thenApply(r -> new Created(r.getPath(), r.getStat()));
  }

  /** Sets a node's data if its version is {@code expectedVersion}, or whatever it is for -1. */
  public Stat setData(String path, byte[] data, int expectedVersion) {
    return await(setDataAsync(path, data, expectedVersion));
  }

  public CompletableFuture<Stat> setDataAsync(String path, byte[] data, int expectedVersion) {
    SetDataRequest.Builder request = SetDataRequest.newBuilder()
        .setPath(Objects.requireNonNull(path, "path"))
        .setData(bytes(data))
        .setRequestId(nextRequestId());
    if (expectedVersion != -1) {
      request.setExpectedVersion(expectedVersion);
    }
    SetDataRequest built = request.build();
    return this.<SetDataResponse>call("setData " + path, (stub, o) -> stub.setData(built, o)).thenApply(r -> r.getStat());
  }

  /** Deletes a childless node if its version is {@code expectedVersion}, or whatever it is for -1. */
  public void delete(String path, int expectedVersion) {
    await(deleteAsync(path, expectedVersion));
  }

  public CompletableFuture<Void> deleteAsync(String path, int expectedVersion) {
    return deleteResponse(path, expectedVersion).thenApply(r -> null);
  }

  /** {@link #deleteAsync} with the server's response (whose header holds the delete's zxid). */
  CompletableFuture<DeleteResponse> deleteResponse(String path, int expectedVersion) {
    DeleteRequest.Builder request = DeleteRequest.newBuilder()
        .setPath(Objects.requireNonNull(path, "path"))
        .setRequestId(nextRequestId());
    if (expectedVersion != -1) {
      request.setExpectedVersion(expectedVersion);
    }
    DeleteRequest built = request.build();
    return call("delete " + path, (stub, o) -> stub.delete(built, o));
  }

  /** Deletes a node and all its descendants atomically; returns how many nodes were removed. */
  public long deleteAll(String path) {
    return await(deleteAllAsync(path));
  }

  public CompletableFuture<Long> deleteAllAsync(String path) {
    DeleteAllRequest request = DeleteAllRequest.newBuilder()
        .setPath(Objects.requireNonNull(path, "path"))
        .setRequestId(nextRequestId())
        .build();
    return this.<DeleteAllResponse>call("deleteAll " + path, (stub, o) -> stub.deleteAll(request, o))
        .thenApply(r -> r.getDeleted());
  }

  // ---- reads ----

  /** A linearizable read of a node's data. */
  public NodeData getData(String path) {
    return getData(path, Consistency.LINEARIZABLE);
  }

  public NodeData getData(String path, Consistency consistency) {
    return await(getDataAsync(path, consistency));
  }

  public CompletableFuture<NodeData> getDataAsync(String path) {
    return getDataAsync(path, Consistency.LINEARIZABLE);
  }

  public CompletableFuture<NodeData> getDataAsync(String path, Consistency consistency) {
    return getDataResponse(path, consistency).thenApply(CoordClient::nodeData);
  }

  /** A linearizable check: the node's stat, or empty if there is no such node. */
  public Optional<Stat> exists(String path) {
    return exists(path, Consistency.LINEARIZABLE);
  }

  public Optional<Stat> exists(String path, Consistency consistency) {
    return await(existsAsync(path, consistency));
  }

  public CompletableFuture<Optional<Stat>> existsAsync(String path) {
    return existsAsync(path, Consistency.LINEARIZABLE);
  }

  public CompletableFuture<Optional<Stat>> existsAsync(String path, Consistency consistency) {
    return existsResponse(path, consistency).thenApply(CoordClient::stat);
  }

  /** A linearizable listing of a node's children. */
  public Children getChildren(String path) {
    return getChildren(path, Consistency.LINEARIZABLE);
  }

  public Children getChildren(String path, Consistency consistency) {
    return await(getChildrenAsync(path, consistency));
  }

  public CompletableFuture<Children> getChildrenAsync(String path) {
    return getChildrenAsync(path, Consistency.LINEARIZABLE);
  }

  public CompletableFuture<Children> getChildrenAsync(String path, Consistency consistency) {
    return getChildrenResponse(path, consistency).thenApply(r -> new Children(r.getChildrenList(), r.getStat()));
  }

  /** Makes the serving node catch up with the leader, so that its following stale reads see every earlier write. */
  public void sync(String path) {
    await(syncAsync(path));
  }

  public CompletableFuture<Void> syncAsync(String path) {
    SyncRequest request = SyncRequest.newBuilder().setPath(Objects.requireNonNull(path, "path")).build();
    return this.<SyncResponse>call("sync " + path, (stub, o) -> stub.sync(request, o)).thenApply(r -> null);
  }

  // ---- sessions ----

  /**
   * Opens a session with (about) this timeout: the cluster negotiates it into its configured bounds, see
   * {@link CoordSession#timeout()}. The client keeps the session alive until {@link CoordSession#close()}
   * or until this client is closed (which closes it too). {@code listener} (may be null) first hears
   * {@link SessionState#CONNECTED}.
   */
  public CoordSession openSession(Duration timeout, SessionListener listener) {
    return await(openSessionAsync(timeout, listener));
  }

  public CompletableFuture<CoordSession> openSessionAsync(Duration timeout, SessionListener listener) {
    if (timeout == null || timeout.toMillis() < 1) {
      throw new IllegalArgumentException("session timeout must be at least 1 ms, was " + timeout);
    }
    OpenSessionRequest request = OpenSessionRequest.newBuilder()
        .setTimeoutMs(timeout.toMillis())
        .setRequestId(nextRequestId())
        .build();
    return this.<OpenSessionResponse>call("openSession", (stub, o) -> stub.openSession(request, o))
        .thenApply(r -> {
          CoordSession session = new CoordSession(this, r.getSessionId(), r.getTimeoutMs(), listener);
          sessions.add(session);
          session.start();
          if (connections.isClosed()) {
            session.stopKeepAlive();
          }
          return session;
        });
  }

  // ---- watches ----

  /**
   * Watches {@code path}: every change the mode matches (see {@link WatchMode}) with a zxid above
   * {@code afterZxid} goes to {@code listener}, in zxid order, each zxid once, also across failovers. With
   * {@code afterZxid} empty, the watch starts at the zxid of a linearizable read made first, so it sees
   * every change made after this call began. Returns once the server has registered the watch and caught
   * it up.
   *
   * <p>If the server no longer has the history back to {@code afterZxid}, the listener hears
   * {@link WatchListener#onCompacted} and the returned watch has ended already.
   *
   * @throws CoordException e.g. {@code INVALID_PATH}; {@code UNAVAILABLE} if no node registered the watch
   *     within the request timeout
   */
  public WatchSubscription watch(String path, WatchMode mode, OptionalLong afterZxid, WatchListener listener) {
    return await(watchAsync(path, mode, afterZxid, listener));
  }

  public CompletableFuture<WatchSubscription> watchAsync(
      String path, WatchMode mode, OptionalLong afterZxid, WatchListener listener) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(afterZxid, "afterZxid");
    Objects.requireNonNull(listener, "listener");
    if (afterZxid.isPresent()) {
      return watches.add(path, mode, afterZxid.getAsLong(), listener, requestTimeout);
    }
    return existsResponse(path, Consistency.LINEARIZABLE)
        .thenCompose(r -> watches.add(path, mode, r.getHeader().getZxid(), listener, requestTimeout));
  }

  /**
   * ZooKeeper's {@code getData(path, watcher)}: a linearizable read, then a one-shot
   * {@link WatchMode#WATCH_DATA} watch from that read's zxid, so that no later change is missed: the
   * listener hears the node's next {@code NODE_DATA_CHANGED} or {@code NODE_DELETED}. No watch is left
   * when the read fails (e.g. {@code NO_NODE}).
   */
  public NodeData getData(String path, WatchListener listener) {
    Objects.requireNonNull(listener, "listener");
    GetDataResponse r = await(getDataResponse(path, Consistency.LINEARIZABLE));
    await(watches.add(path, WatchMode.WATCH_DATA, r.getHeader().getZxid(), listener, requestTimeout));
    return nodeData(r);
  }

  /**
   * ZooKeeper's {@code exists(path, watcher)}: a linearizable check, then a one-shot
   * {@link WatchMode#WATCH_DATA} watch from its zxid, set whether or not the node exists: the listener
   * hears {@code NODE_CREATED} for a missing node, else its next data change or deletion.
   */
  public Optional<Stat> exists(String path, WatchListener listener) {
    Objects.requireNonNull(listener, "listener");
    ExistsResponse r = await(existsResponse(path, Consistency.LINEARIZABLE));
    await(watches.add(path, WatchMode.WATCH_DATA, r.getHeader().getZxid(), listener, requestTimeout));
    return stat(r);
  }

  /**
   * ZooKeeper's {@code getChildren(path, watcher)}: a linearizable listing, then a one-shot
   * {@link WatchMode#WATCH_CHILDREN} watch from its zxid: the listener hears the next
   * {@code NODE_CHILDREN_CHANGED} or {@code NODE_DELETED} of the node. No watch when the read fails.
   */
  public Children getChildren(String path, WatchListener listener) {
    Objects.requireNonNull(listener, "listener");
    GetChildrenResponse r = await(getChildrenResponse(path, Consistency.LINEARIZABLE));
    await(watches.add(path, WatchMode.WATCH_CHILDREN, r.getHeader().getZxid(), listener, requestTimeout));
    return new Children(r.getChildrenList(), r.getStat());
  }

  // ---- admin ----

  /** {@code Admin.Status} of exactly {@code endpoint} ({@code host:port}), without failover. */
  public StatusResponse status(String endpoint) {
    return await(statusAsync(endpoint));
  }

  public CompletableFuture<StatusResponse> statusAsync(String endpoint) {
    Endpoint target = Endpoint.parse(endpoint);
    CompletableFuture<StatusResponse> result = new CompletableFuture<>();
    try {
      AdminGrpc.newStub(connections.channel(target))
          .withDeadlineAfter(requestTimeout.toNanos(), TimeUnit.NANOSECONDS)
          .status(StatusRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(StatusResponse value) {
              result.complete(value);
            }

            @Override
            public void onError(Throwable t) {
              result.completeExceptionally(CoordException.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
              result.completeExceptionally(new CoordException(
                  ErrorCode.INTERNAL, null, "status: " + target + " sent no response"));
            }
          });
    } catch (RuntimeException e) {
      result.completeExceptionally(connections.isClosed()
          ? new CoordException(ErrorCode.UNAVAILABLE, null, "client is closed", e)
          : CoordException.fromThrowable(e));
    }
    return result;
  }

  /**
   * Closes the client's open sessions (for up to two seconds; a session that could not be closed expires
   * by itself), ends its watches without callbacks, then closes every connection; calls still in flight
   * after a second are cancelled. Idempotent.
   */
  @Override
  public void close() {
    if (!connections.isClosed()) {
      Duration budget = requestTimeout.compareTo(SESSION_CLOSE_BUDGET) < 0 ? requestTimeout : SESSION_CLOSE_BUDGET;
      List<CompletableFuture<Void>> closing = new ArrayList<>();
      for (CoordSession session : List.copyOf(sessions)) {
        closing.add(session.closeAsync(budget));
      }
      try {
        CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // cannot happen: closeAsync's futures never fail
      }
    }
    watches.close();
    scheduler.shutdownNow();
    events.close();
    connections.close();
    if (ownCallbackPool != null) {
      ownCallbackPool.shutdown(); // lets the answers already queued complete their futures
    }
  }

  /** Whether this client's own callback pool has been shut down (false when the caller gave the executor). */
  boolean callbackPoolShutDown() {
    return ownCallbackPool != null && ownCallbackPool.isShutdown();
  }

  CompletableFuture<Void> closeSessionAsync(long sessionId, Duration budget) {
    if (connections.isClosed()) {
      return CompletableFuture.failedFuture(new CoordException(ErrorCode.UNAVAILABLE, null, "client is closed"));
    }
    CloseSessionRequest request = CloseSessionRequest.newBuilder()
        .setSessionId(sessionId)
        .setRequestId(nextRequestId())
        .build();
    Duration b = budget == null ? requestTimeout : budget;
    Duration attempt = attemptTimeout.compareTo(b) < 0 ? attemptTimeout : b;
    return RetryingCall.<CloseSessionResponse>start("closeSession 0x" + Long.toHexString(sessionId),
        (stub, o) -> stub.closeSession(request, o), connections, scheduler, b, attempt).thenApply(r -> null);
  }

  /** A session that ended (closed, expired, abandoned): no longer closed with the client. */
  void forget(CoordSession session) {
    sessions.remove(session);
  }

  Connections connections() {
    return connections;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  EventQueue events() {
    return events;
  }

  private CompletableFuture<GetDataResponse> getDataResponse(String path, Consistency consistency) {
    GetDataRequest request = GetDataRequest.newBuilder()
        .setPath(Objects.requireNonNull(path, "path"))
        .setConsistency(orDefault(consistency))
        .build();
    return call("getData " + path, (stub, o) -> stub.getData(request, o));
  }

  private CompletableFuture<ExistsResponse> existsResponse(String path, Consistency consistency) {
    ExistsRequest request = ExistsRequest.newBuilder()
        .setPath(Objects.requireNonNull(path, "path"))
        .setConsistency(orDefault(consistency))
        .build();
    return call("exists " + path, (stub, o) -> stub.exists(request, o));
  }

  private CompletableFuture<GetChildrenResponse> getChildrenResponse(String path, Consistency consistency) {
    GetChildrenRequest request = GetChildrenRequest.newBuilder()
        .setPath(Objects.requireNonNull(path, "path"))
        .setConsistency(orDefault(consistency))
        .build();
    return call("getChildren " + path, (stub, o) -> stub.getChildren(request, o));
  }

  private static NodeData nodeData(GetDataResponse r) {
    return new NodeData(r.getData().toByteArray(), r.getStat());
  }

  private static Optional<Stat> stat(ExistsResponse r) {
    return r.getExists() ? Optional.of(r.getStat()) : Optional.empty();
  }

  /** This client's 16-byte id, as sent in every write's {@link RequestId}. */
  ByteString clientId() {
    return clientId;
  }

  private RequestId nextRequestId() {
    return RequestId.newBuilder().setClientId(clientId).setCallId(nextCallId.incrementAndGet()).build();
  }

  private <R> CompletableFuture<R> call(String name, RetryingCall.Rpc<R> rpc) {
    if (connections.isClosed()) {
      return CompletableFuture.failedFuture(
          new CoordException(ErrorCode.UNAVAILABLE, null, "client is closed"));
    }
    return RetryingCall.start(name, rpc, connections, scheduler, requestTimeout, attemptTimeout);
  }

  private static ByteString bytes(byte[] data) {
    return data == null ? ByteString.EMPTY : ByteString.copyFrom(data);
  }

  private static Consistency orDefault(Consistency consistency) {
    return consistency == null ? Consistency.LINEARIZABLE : consistency;
  }

  /** Waits for a call and rethrows its failure as the CoordException it carries. */
  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw CoordException.fromThrowable(e.getCause());
    } catch (CancellationException e) {
      throw new CoordException(ErrorCode.UNAVAILABLE, null, "call cancelled", e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new CoordException(
          ErrorCode.TIMEOUT, null, "interrupted while waiting; a write may or may not have been applied", e);
    }
  }

  /** Configures a {@link CoordClient}. */
  public static final class Builder {
    private List<String> endpoints;
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration attemptTimeout = Duration.ofSeconds(5);
    private Executor callbackExecutor;

    private Builder() {}

    /** A comma-separated list of {@code host:port}, e.g. {@code "127.0.0.1:2281,127.0.0.1:2282"}. */
    public Builder endpoints(String endpoints) {
      this.endpoints = Collections.singletonList(endpoints);
      return this;
    }

    /** Endpoints as {@code host:port} strings (each may itself be a comma-separated list). */
    public Builder endpoints(List<String> endpoints) {
      this.endpoints = endpoints == null ? null : new ArrayList<>(endpoints);
      return this;
    }

    /** The budget of one call, failover retries included; default 10 s. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive(timeout, "requestTimeout");
      return this;
    }

    /**
     * The longest one attempt may wait for an endpoint before failing over to the next; default 5 s. Each
     * attempt's deadline is the smaller of this and what is left of the request timeout.
     */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = positive(timeout, "attemptTimeout");
      return this;
    }

    /**
     * Where the client receives answers and completes its futures, and so where callbacks chained on them
     * run; default a pool of its own, shut down with the client (see the class comment). An executor
     * given here is not shut down by the client. {@code MoreExecutors.directExecutor()} saves a thread
     * hand-off per call, but then callbacks run on gRPC's network threads and must never block: a plain
     * call inside one would wait forever for an answer that thread has to deliver.
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /** @throws IllegalArgumentException when no endpoint was given, or one is not {@code host:port} */
    public CoordClient build() {
      if (endpoints == null) {
        throw new IllegalArgumentException("no endpoints given");
      }
      return new CoordClient(Endpoint.parseList(endpoints), requestTimeout, attemptTimeout, callbackExecutor);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
