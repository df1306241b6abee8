package coord.statemachine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatchWithIndex;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB store. One {@link WriteBatchWithIndex} per log entry gives the entry's operations
 * read-your-own-writes and commits them atomically. RocksDB's WAL is off: the Raft log is the write-ahead
 * log, the applied index is committed in the same batch as the data, and a crash replays the entries
 * after the last flushed state (see {@link CoordStateMachine}).
 */
public final class RocksKvStore implements KvStore {
  static {
    RocksDB.loadLibrary();
  }

  /** Off the Java heap; holds the hot part of a tree far larger than the heap. */
  private static final long BLOCK_CACHE_BYTES = 64L * 1024 * 1024;

  private final Path dir;
  private final Options options;
  private final LRUCache blockCache;
  private final BloomFilter bloomFilter;
  private final WriteOptions writeOptions;
  private final RocksDB db;

  private RocksKvStore(Path dir, Options options, LRUCache blockCache, BloomFilter bloomFilter, RocksDB db) {
    this.dir = dir;
    this.options = options;
    this.blockCache = blockCache;
    this.bloomFilter = bloomFilter;
    this.db = db;
    this.writeOptions = new WriteOptions().setDisableWAL(true);
  }

  public static RocksKvStore open(Path dir) throws IOException {
    Files.createDirectories(dir);
    LRUCache cache = new LRUCache(BLOCK_CACHE_BYTES);
    // Most lookups on the write path miss (request-id records, names being created): bloom filters, in
    // the tables and the memtable, answer those without searching every level.
    BloomFilter bloom = new BloomFilter(10);
    Options options = new Options()
        .setCreateIfMissing(true)
        // a node with its WAL off must flush on close, or a clean shutdown loses the memtable
        .setAvoidFlushDuringShutdown(false)
        .setMaxOpenFiles(512)
        .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom))
        .setMemtableWholeKeyFiltering(true)
        .setMemtablePrefixBloomSizeRatio(0.1);
    try {
      return new RocksKvStore(dir, options, cache, bloom, RocksDB.open(options, dir.toString()));
    } catch (RocksDBException e) {
      options.close();
      bloom.close();
      cache.close();
      throw new IOException("cannot open RocksDB at " + dir, e);
    }
  }

  public Path dir() {
    return dir;
  }

  /** The database itself, for tests that read RocksDB's own counters. */
  RocksDB db() {
    return db;
  }

  @Override
  public KvReader reader() {
    Snapshot snapshot = db.getSnapshot();
    ReadOptions ro = new ReadOptions().setSnapshot(snapshot);
    return new SnapshotReader(snapshot, ro);
  }

  @Override
  public KvTxn begin() {
    return new Txn();
  }

  /** Flushes the memtable so that everything committed so far survives a crash. */
  public void flush() throws IOException {
    try (FlushOptions fo = new FlushOptions().setWaitForFlush(true)) {
      db.flush(fo);
    } catch (RocksDBException e) {
      throw new IOException("flush failed", e);
    }
  }

  /** Writes a consistent copy of the store into {@code target} (which must not exist); hard links SSTs. */
  public void checkpoint(Path target) throws IOException {
    try (Checkpoint cp = Checkpoint.create(db)) {
      cp.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw new IOException("checkpoint into " + target + " failed", e);
    }
  }

  @Override
  public void close() {
    db.close();
    writeOptions.close();
    options.close();
    bloomFilter.close();
    blockCache.close();
  }

  private static void scan(RocksIterator it, byte[] prefix, byte[] from, KvReader.Visitor visitor) {
    try (it) {
      for (it.seek(from == null ? prefix : from); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (!Keys.hasPrefix(key, prefix) || !visitor.visit(key, it.value())) {
          return;
        }
      }
    }
  }

  private static RuntimeException storageFailure(String what, RocksDBException e) {
    // Not a business error: the node cannot trust its store any more.
    return new IllegalStateException("RocksDB " + what + " failed: " + e.getMessage(), e);
  }

  /**
   * Read options whose iterator stops at the end of {@code prefix}. Without the bound a seek into a prefix
   * with nothing left in it walks on through every deleted key after it (tombstones wait for compaction):
   * a deleteall of 1,000 nodes, which lists the children of each, took seconds once earlier deleteall
   * calls had left thousands of tombstones behind the nodes' keys.
   */
  private static final class Bounded implements AutoCloseable {
    final ReadOptions readOptions = new ReadOptions();
    private final Slice upperBound;

    Bounded(byte[] prefix, Snapshot snapshot) {
      byte[] end = Keys.prefixEnd(prefix);
      upperBound = end == null ? null : new Slice(end);
      if (upperBound != null) {
        readOptions.setIterateUpperBound(upperBound);
      }
      if (snapshot != null) {
        readOptions.setSnapshot(snapshot);
      }
    }

    @Override
    public void close() {
      readOptions.close();
      if (upperBound != null) {
        upperBound.close();
      }
    }
  }

  private final class SnapshotReader implements KvReader {
    private final Snapshot snapshot;
    private final ReadOptions readOptions;

    SnapshotReader(Snapshot snapshot, ReadOptions readOptions) {
      this.snapshot = snapshot;
      this.readOptions = readOptions;
    }

    @Override
    public byte[] get(byte[] key) {
      try {
        return db.get(readOptions, key);
      } catch (RocksDBException e) {
        throw storageFailure("get", e);
      }
    }

    @Override
    public void scan(byte[] prefix, byte[] from, Visitor visitor) {
      try (Bounded bounded = new Bounded(prefix, snapshot)) {
        RocksKvStore.scan(db.newIterator(bounded.readOptions), prefix, from, visitor);
      }
    }

    @Override
    public void close() {
      readOptions.close();
      db.releaseSnapshot(snapshot);
    }
  }

  private final class Txn implements KvTxn {
    private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
    private final ReadOptions readOptions = new ReadOptions();

    @Override
    public byte[] get(byte[] key) {
      try {
        return batch.getFromBatchAndDB(db, readOptions, key);
      } catch (RocksDBException e) {
        throw storageFailure("get", e);
      }
    }

    @Override
    public void scan(byte[] prefix, byte[] from, Visitor visitor) {
      try (Bounded bounded = new Bounded(prefix, null)) {
        RocksKvStore.scan(batch.newIteratorWithBase(db.newIterator(bounded.readOptions)), prefix, from, visitor);
      }
    }

    @Override
    public void put(byte[] key, byte[] value) {
      try {
        batch.put(key, value);
      } catch (RocksDBException e) {
        throw storageFailure("put", e);
      }
    }

    @Override
    public void delete(byte[] key) {
      try {
        batch.delete(key);
      } catch (RocksDBException e) {
        throw storageFailure("delete", e);
      }
    }

    @Override
    public void setSavepoint() {
      batch.setSavePoint();
    }

    @Override
    public void rollbackToSavepoint() {
      try {
        batch.rollbackToSavePoint();
      } catch (RocksDBException e) {
        throw storageFailure("rollback", e);
      }
    }

    @Override
    public void commit() {
      try {
        db.write(writeOptions, batch);
      } catch (RocksDBException e) {
        throw storageFailure("write", e);
      } finally {
        close();
      }
    }

    @Override
    public void close() {
      batch.close();
      readOptions.close();
    }
  }
}
