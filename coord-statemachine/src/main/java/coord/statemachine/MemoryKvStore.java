package coord.statemachine;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * In-memory twin of {@link RocksKvStore} for property and scenario tests. Readers see live committed
 * state (no snapshot isolation): fine for single-threaded tests, not for a server.
 */
public final class MemoryKvStore implements KvStore {
  private static final byte[] TOMBSTONE = new byte[0];

  private final ConcurrentSkipListMap<byte[], byte[]> map = new ConcurrentSkipListMap<>(Arrays::compareUnsigned);

  @Override
  public KvReader reader() {
    return new Reader(map);
  }

  @Override
  public KvTxn begin() {
    return new Txn();
  }

  @Override
  public void close() {}

  private static class Reader implements KvReader {
    private final NavigableMap<byte[], byte[]> base;

    Reader(NavigableMap<byte[], byte[]> base) {
      this.base = base;
    }

    @Override
    public byte[] get(byte[] key) {
      byte[] v = base.get(key);
      return v == null ? null : v.clone(); // callers own what they get, as with RocksDB
    }

    @Override
    public void scan(byte[] prefix, byte[] from, Visitor visitor) {
      byte[] start = from == null ? prefix : from;
      for (Map.Entry<byte[], byte[]> e : base.tailMap(start, true).entrySet()) {
        if (!Keys.hasPrefix(e.getKey(), prefix) || !visitor.visit(e.getKey(), e.getValue())) {
          return;
        }
      }
    }

    @Override
    public void close() {}
  }

  private final class Txn extends Reader implements KvTxn {
    private TreeMap<byte[], byte[]> writes = new TreeMap<>(Arrays::compareUnsigned);
    private TreeMap<byte[], byte[]> savepoint = new TreeMap<>(Arrays::compareUnsigned);

    Txn() {
      super(map);
    }

    @Override
    public byte[] get(byte[] key) {
      byte[] w = writes.get(key);
      if (w != null) {
        return w == TOMBSTONE ? null : w.clone();
      }
      byte[] v = map.get(key);
      return v == null ? null : v.clone(); // callers own what they get, as with RocksDB
    }

    @Override
    public void scan(byte[] prefix, byte[] from, Visitor visitor) {
      byte[] start = from == null ? prefix : from;
      Iterator<Map.Entry<byte[], byte[]>> base = map.tailMap(start, true).entrySet().iterator();
      Iterator<Map.Entry<byte[], byte[]>> own = writes.tailMap(start, true).entrySet().iterator();
      Map.Entry<byte[], byte[]> b = next(base, prefix);
      Map.Entry<byte[], byte[]> o = next(own, prefix);
      while (b != null || o != null) {
        int cmp = b == null ? 1 : o == null ? -1 : Arrays.compareUnsigned(b.getKey(), o.getKey());
        Map.Entry<byte[], byte[]> pick = cmp < 0 ? b : o;
        if (cmp >= 0) {
          o = next(own, prefix);
          if (cmp == 0) {
            b = next(base, prefix);
          }
        } else {
          b = next(base, prefix);
        }
        if (pick.getValue() != TOMBSTONE && !visitor.visit(pick.getKey(), pick.getValue())) {
          return;
        }
      }
    }

    private Map.Entry<byte[], byte[]> next(Iterator<Map.Entry<byte[], byte[]>> it, byte[] prefix) {
      if (!it.hasNext()) {
        return null;
      }
      Map.Entry<byte[], byte[]> e = it.next();
      return Keys.hasPrefix(e.getKey(), prefix) ? e : null;
    }

    @Override
    public void put(byte[] key, byte[] value) {
      writes.put(key, value.clone()); // a copy is never TOMBSTONE itself
    }

    @Override
    public void delete(byte[] key) {
      writes.put(key, TOMBSTONE);
    }

    @Override
    public void setSavepoint() {
      savepoint = new TreeMap<>(writes);
    }

    @Override
    public void rollbackToSavepoint() {
      writes = new TreeMap<>(savepoint);
    }

    @Override
    public void commit() {
      for (Map.Entry<byte[], byte[]> e : writes.entrySet()) {
        if (e.getValue() == TOMBSTONE) {
          map.remove(e.getKey());
        } else {
          map.put(e.getKey(), e.getValue());
        }
      }
      writes.clear();
    }
  }
}
