package coord.statemachine;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import coord.statemachine.proto.EntryReply;
import coord.statemachine.proto.LogEntry;
import coord.statemachine.proto.Query;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.thirdparty.com.google.protobuf.UnsafeByteOperations;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin Ratis adapter around the pure core ({@link EntryApplier}, {@link QueryHandler}): it parses
 * entries, stamps them on the leader, commits each entry's writes with its applied index in one batch,
 * and takes and installs snapshots.
 *
 * <p>Durability: RocksDB runs without its WAL. After a crash Ratis replays the log from the latest
 * snapshot; entries at or below the applied index stored in RocksDB are skipped, later ones re-applied.
 * The applied index only moves forward (Ratis replays from the snapshot index, which may be behind it).
 */
public final class CoordStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(CoordStateMachine.class);

  private final SnapshotStore storage = new SnapshotStore();
  private final int maxDataBytes;
  private final long minSessionTimeoutMs;
  private final long maxSessionTimeoutMs;
  private final LongSupplier leaderClock;
  // Held while an entry's events are dispatched and the entry committed, so that a watch registering
  // (replaying history, then going live) sees each entry either in the store or in the dispatch.
  private final java.util.concurrent.locks.ReentrantLock dispatchLock =
      new java.util.concurrent.locks.ReentrantLock();
  // Readers hold it shared; swapping the store after a snapshot install holds it exclusively.
  private final ReentrantReadWriteLock storeLock = new ReentrantReadWriteLock();
  private volatile RocksKvStore store;
  private volatile long storeAppliedIndex = RaftLog.INVALID_LOG_INDEX;
  private volatile Consumer<AppliedEntry> appliedListener = e -> {};
  private volatile Consumer<RaftPeerId> leaderChangeListener = leader -> { };

  /**
   * Called on the apply thread with each entry's result before the entry is committed, under the
   * dispatch lock; it must not block.
   */
  public record AppliedEntry(long index, EntryApplier.Result result) {}

  /** A consistent summary of the tree on this replica. */
  public record TreeStatus(long appliedIndex, long lastZxid, long nodeCount, long digest, int sessions) {}

  /**
   * @param maxDataBytes the data size limit the leader stamps into each entry it proposes
   * @param leaderClock the wall clock the leader stamps ctime/mtime from (never read in apply)
   */
  public CoordStateMachine(int maxDataBytes, long minSessionTimeoutMs, long maxSessionTimeoutMs,
      LongSupplier leaderClock) {
    this.maxDataBytes = maxDataBytes;
    this.minSessionTimeoutMs = minSessionTimeoutMs;
    this.maxSessionTimeoutMs = maxSessionTimeoutMs;
    this.leaderClock = leaderClock;
  }

  public CoordStateMachine(int maxDataBytes, long minSessionTimeoutMs, long maxSessionTimeoutMs) {
    this(maxDataBytes, minSessionTimeoutMs, maxSessionTimeoutMs, System::currentTimeMillis);
  }

  public void setAppliedListener(Consumer<AppliedEntry> listener) {
    this.appliedListener = listener;
  }

  /** Called with the new leader's id whenever this member learns of one (on a Ratis thread). */
  public void setLeaderChangeListener(Consumer<RaftPeerId> listener) {
    this.leaderChangeListener = listener;
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
    try {
      leaderChangeListener.accept(newLeaderId);
    } catch (RuntimeException e) {
      LOG.error("leader-change listener failed", e);
    }
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    getLifeCycle().startAndTransition(() -> {
      if (!Files.exists(storage.dbDir())) {
        storage.restoreLatestInto(storage.dbDir());
      }
      openStore();
    });
  }

  private void openStore() throws IOException {
    store = RocksKvStore.open(storage.dbDir());
    try (KvReader r = store.reader()) {
      long[] applied = new ZTree(r).applied();
      storeAppliedIndex = applied[1];
      if (applied[1] > 0) {
        advanceApplied(TermIndex.valueOf(applied[0], applied[1]));
      }
    }
    // A snapshot may be labelled past the store's last data entry (no-op or configuration entries
    // followed it); the state is the same, so start from the snapshot's label.
    var snapshot = storage.getLatestSnapshot();
    if (snapshot != null && snapshot.getIndex() > storeAppliedIndex) {
      advanceApplied(snapshot.getTermIndex());
    }
    LOG.info("opened store {} at applied index {}", storage.dbDir(), storeAppliedIndex);
  }

  @Override
  public void pause() {
    // StateMachineUpdater.reload() requires PAUSED before reinitialize(); BaseStateMachine does not do it.
    LifeCycle lc = getLifeCycle();
    if (lc.getCurrentState() == LifeCycle.State.RUNNING) {
      lc.transition(LifeCycle.State.PAUSING);
      lc.transition(LifeCycle.State.PAUSED);
    }
  }

  /** After a snapshot from the leader was installed: replace the live store with it. */
  @Override
  public void reinitialize() throws IOException {
    storeLock.writeLock().lock();
    try {
      if (store != null) {
        store.close();
        store = null;
      }
      storage.invalidate();
      SnapshotStore.deleteRecursively(storage.dbDir());
      storage.restoreLatestInto(storage.dbDir());
      openStore();
    } finally {
      storeLock.writeLock().unlock();
    }
    LifeCycle lc = getLifeCycle();
    if (lc.getCurrentState() == LifeCycle.State.PAUSED) {
      lc.transition(LifeCycle.State.STARTING);
      lc.transition(LifeCycle.State.RUNNING);
    }
    LOG.info("installed snapshot; applied index now {}", storeAppliedIndex);
  }

  @Override
  public void close() throws IOException {
    storeLock.writeLock().lock();
    try {
      if (store != null) {
        store.close();
        store = null;
      }
    } finally {
      storeLock.writeLock().unlock();
    }
    super.close();
  }

  // ------------------------------------------------------------------ write path

  /**
   * Leader only, before the entry is appended: checks that it parses, then stamps the leader's time and
   * data limit by appending those fields to the bytes (for proto3 scalars the last occurrence wins), so
   * the client's bytes are never re-encoded. A garbage payload never becomes a log entry.
   */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
    ByteString content = request.getMessage().getContent();
    LogEntry parsed;
    try {
      parsed = LogEntry.parseFrom(content.asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      TransactionContext trx = super.startTransaction(request);
      trx.setException(e);
      return trx;
    }
    long now = leaderClock.getAsLong();
    ByteString stamped = content.concat(UnsafeByteOperations.unsafeWrap(stamp(now)));
    return TransactionContext.newBuilder()
        .setStateMachine(this)
        .setClientRequest(request)
        .setLogData(stamped)
        .setStateMachineContext(parsed.toBuilder()
            .setTimeMs(now)
            .setMaxDataBytes(maxDataBytes)
            .setMinSessionTimeoutMs(minSessionTimeoutMs)
            .setMaxSessionTimeoutMs(maxSessionTimeoutMs)
            .build())
        .build();
  }

  private byte[] stamp(long timeMs) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(48);
    CodedOutputStream c = CodedOutputStream.newInstance(out);
    c.writeInt64(LogEntry.TIME_MS_FIELD_NUMBER, timeMs);
    c.writeInt32(LogEntry.MAX_DATA_BYTES_FIELD_NUMBER, maxDataBytes);
    c.writeInt64(LogEntry.MIN_SESSION_TIMEOUT_MS_FIELD_NUMBER, minSessionTimeoutMs);
    c.writeInt64(LogEntry.MAX_SESSION_TIMEOUT_MS_FIELD_NUMBER, maxSessionTimeoutMs);
    c.flush();
    return out.toByteArray();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto logEntry = trx.getLogEntry();
    TermIndex ti = TermIndex.valueOf(logEntry);
    if (ti.getIndex() <= storeAppliedIndex) {
      // replayed after a restart: its effects are already in the store
      advanceApplied(ti);
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    LogEntry entry = trx.getStateMachineContext() instanceof LogEntry e ? e : parseCommitted(logEntry);
    EntryApplier.Result result;
    storeLock.readLock().lock();
    try {
      KvTxn txn = store.begin();
      ZTreeTxn tree = new ZTreeTxn(txn);
      result = EntryApplier.apply(tree, ti.getIndex(), entry);
      dispatchLock.lock();
      try {
        // events reach watchers before anyone can read the data they announce
        notifyListener(new AppliedEntry(ti.getIndex(), result));
        tree.commit(ti.getTerm(), ti.getIndex(), result.lastZxid());
      } finally {
        dispatchLock.unlock();
      }
      storeAppliedIndex = ti.getIndex();
      advanceApplied(ti);
    } finally {
      storeLock.readLock().unlock();
    }
    return CompletableFuture.completedFuture(
        toMessage(EntryReply.newBuilder().addAllResults(result.results()).build()));
  }

  /** A failing listener costs its watchers an event, never the node (an apply exception is fatal). */
  private void notifyListener(AppliedEntry entry) {
    try {
      appliedListener.accept(entry);
    } catch (RuntimeException e) {
      LOG.error("applied-entry listener failed at index {}", entry.index(), e);
    }
  }

  private static LogEntry parseCommitted(LogEntryProto logEntry) {
    try {
      return LogEntry.parseFrom(logEntry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      // startTransaction admitted only parseable entries: this is corruption, and fatal by design
      throw new IllegalStateException("committed entry " + logEntry.getIndex() + " does not parse", e);
    }
  }

  private void advanceApplied(TermIndex ti) {
    TermIndex current = getLastAppliedTermIndex();
    if (current == null || ti.compareTo(current) > 0) {
      updateLastAppliedTermIndex(ti);
    }
  }

  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    // configuration and no-op entries: only ever move forward (see class comment)
    advanceApplied(TermIndex.valueOf(term, index));
  }

  // ------------------------------------------------------------------ read path

  @Override
  public CompletableFuture<Message> query(Message request) {
    Query query;
    try {
      query = Query.parseFrom(request.getContent().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      return CompletableFuture.failedFuture(e);
    }
    try {
      return CompletableFuture.completedFuture(toMessage(withTree(tree -> QueryHandler.answer(tree, query))));
    } catch (StoreClosedException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  public TreeStatus treeStatus() {
    return withTree(tree -> new TreeStatus(tree.applied()[1], tree.lastZxid(), tree.nodeCount(), tree.digest(),
        tree.sessions().size()));
  }

  /**
   * Runs {@code action} with no entry being dispatched or committed meanwhile, against the committed
   * tree: what it reads is exactly what every earlier dispatch announced.
   */
  public <T> T withDispatchPaused(java.util.function.Function<ZTree, T> action) {
    dispatchLock.lock();
    try {
      return withTree(action);
    } finally {
      dispatchLock.unlock();
    }
  }

  /** Runs {@code action} against a consistent view of this replica's tree (tests, digests, admin). */
  public <T> T withTree(java.util.function.Function<ZTree, T> action) {
    storeLock.readLock().lock();
    try {
      RocksKvStore current = store;
      if (current == null) {
        throw new StoreClosedException();
      }
      try (KvReader reader = current.reader()) {
        return action.apply(new ZTree(reader));
      }
    } finally {
      storeLock.readLock().unlock();
    }
  }

  // ------------------------------------------------------------------ snapshots

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  /** Runs on the apply thread once earlier applies finished, so the store is quiet at the applied index. */
  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() <= 0 || storeAppliedIndex <= 0) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    // The store's applied index may trail lastApplied (a no-op or configuration entry since); the
    // snapshot is labelled with lastApplied, which is sound since nothing in between touched the store.
    Path target = storage.pathFor(last);
    if (Files.exists(target)) {
      return last.getIndex();
    }
    Path tmp = storage.tmpDir().resolve("checkpoint-" + last.getTerm() + "_" + last.getIndex());
    SnapshotStore.deleteRecursively(tmp);
    Files.createDirectories(tmp.getParent());
    storeLock.readLock().lock();
    try {
      store.checkpoint(tmp); // flushes the memtable first, so the live store is durable here too
    } finally {
      storeLock.readLock().unlock();
    }
    Files.createDirectories(target.getParent());
    Files.move(tmp, target);
    storage.invalidate();
    LOG.info("snapshot taken at {}", last);
    return last.getIndex();
  }

  static Message toMessage(MessageLite m) {
    return Message.valueOf(UnsafeByteOperations.unsafeWrap(m.toByteArray()));
  }
}
