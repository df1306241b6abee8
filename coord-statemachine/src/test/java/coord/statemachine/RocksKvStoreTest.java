package coord.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.PerfContext;
import org.rocksdb.PerfLevel;

/** The RocksDB store: the shared contract, snapshot isolation, durability and checkpoints. */
class RocksKvStoreTest extends KvStoreContract {
  @TempDir Path dir;
  private RocksKvStore store;

  @Override
  KvStore store() {
    return store;
  }

  @BeforeEach
  void open() throws IOException {
    store = RocksKvStore.open(dir.resolve("db"));
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  @Test
  void aScanStopsAtTheEndOfItsPrefixInsteadOfWalkingThroughDeletedKeysAfterIt() {
    commit("a1", "v", "c1", "v");
    KvTxn fill = store.begin();
    for (int i = 0; i < 5_000; i++) {
      fill.put(b(String.format("b%05d", i)), b("v"));
    }
    fill.commit();
    KvTxn empty = store.begin();
    for (int i = 0; i < 5_000; i++) {
      empty.delete(b(String.format("b%05d", i)));
    }
    empty.delete(b("a1"));
    empty.commit();
    store.db().setPerfLevel(PerfLevel.ENABLE_COUNT);
    PerfContext counters = store.db().getPerfContext();

    try {
      counters.reset();
      KvTxn txn = store.begin();
      assertThat(scan(txn, "a", null)).isEmpty();
      txn.close();
      try (KvReader reader = store.reader()) {
        assertThat(scan(reader, "a", null)).isEmpty();
      }
      assertThat(committed("c")).containsExactly("c1=v");

      // only a1's own tombstone (once per scan), never the 5,000 b-keys' after it
      assertThat(counters.getInternalDeleteSkippedCount()).isLessThanOrEqualTo(2);
    } finally {
      store.db().setPerfLevel(PerfLevel.DISABLE);
    }
  }

  @Test
  void aReaderOpenedBeforeACommitDoesNotSeeIt() {
    commit("k1", "v1");
    try (KvReader before = store.reader()) {
      KvTxn txn = store.begin();
      txn.put(b("k1"), b("v2"));
      txn.put(b("k2"), b("v2"));
      txn.commit();

      assertThat(s(before.get(b("k1")))).isEqualTo("v1");
      assertThat(before.get(b("k2"))).isNull();
      assertThat(scan(before, "k", null)).containsExactly("k1=v1");
    }
    assertThat(committed("k")).containsExactly("k1=v2", "k2=v2");
  }

  @Test
  void committedDataSurvivesCloseAndReopen() throws IOException {
    commit("k1", "v1", "k2", "v2");
    KvTxn txn = store.begin();
    txn.delete(b("k2"));
    txn.commit();
    store.close();
    store = null;

    store = RocksKvStore.open(dir.resolve("db"));
    assertThat(committed("k")).containsExactly("k1=v1");
  }

  @Test
  void aCheckpointOpensAsAStoreWithTheSameContent() throws IOException {
    MemoryKvStore twin = new MemoryKvStore();
    for (KvStore s : List.of(store, twin)) {
      TestTrees.apply(s, 1, TestTrees.entry(5, 64,
          TestTrees.create("/a", "one"), TestTrees.create("/a/b", "two"), TestTrees.set("/a", "three", null)));
    }
    Path copy = dir.resolve("checkpoint");
    store.checkpoint(copy);
    commit("zz-after", "not in the checkpoint");

    try (RocksKvStore restored = RocksKvStore.open(copy); KvReader r = restored.reader();
        KvReader expected = twin.reader()) {
      ZTree tree = new ZTree(r);
      assertThat(TestTrees.dump(tree)).isEqualTo(TestTrees.dump(new ZTree(expected)));
      assertThat(tree.applied()).containsExactly(TestTrees.TERM, 1);
      assertThat(tree.digest()).isEqualTo(tree.scanDigest()).isEqualTo(new ZTree(expected).digest());
      assertThat(tree.nodeCount()).isEqualTo(3);
      assertThat(r.get(b("zz-after"))).isNull();
    }
  }
}
