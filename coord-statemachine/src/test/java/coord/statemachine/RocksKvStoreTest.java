package coord.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
