package coord.statemachine;

import static coord.statemachine.TestTrees.create;
import static coord.statemachine.TestTrees.createSequential;
import static coord.statemachine.TestTrees.delete;
import static coord.statemachine.TestTrees.entry;
import static coord.statemachine.TestTrees.id;
import static coord.statemachine.TestTrees.set;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import coord.api.v1.ErrorCode;
import coord.api.v1.RequestId;
import coord.statemachine.proto.LogEntry;
import coord.statemachine.proto.Op;
import coord.statemachine.proto.OpResult;
import java.util.List;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** Writes that carry a RequestId are applied at most once while their record is retained. */
class DedupTest {
  private static final int MAX = 1024;
  private static final long T0 = 1_000_000;
  private static final long R = EntryApplier.DEDUP_RETENTION_MS;

  private final MemoryKvStore store = new MemoryKvStore();
  private long index;

  private OpResult one(long time, Op op) {
    return apply(entry(time, MAX, op)).get(0);
  }

  private List<OpResult> apply(LogEntry entry) {
    return TestTrees.apply(store, ++index, entry).results();
  }

  private SortedMap<String, String> dump() {
    try (KvReader r = store.reader()) {
      return TestTrees.dump(new ZTree(r));
    }
  }

  private NodeRecord node(String path) {
    try (KvReader r = store.reader()) {
      return new ZTree(r).get(path);
    }
  }

  private boolean remembered(RequestId id) {
    try (KvReader r = store.reader()) {
      return r.get(Keys.dedup(id.getClientId().toByteArray(), id.getCallId())) != null;
    }
  }

  @Test
  void retriedSequentialCreateReturnsTheFirstPathAndMakesNoSecondNode() {
    one(T0, create("/jobs", ""));
    RequestId id = id("client-1", 7);
    OpResult first = one(T0, createSequential("/jobs/job-", "x", id));
    assertThat(first.getCreate().getPath()).isEqualTo("/jobs/job-0000000000");
    SortedMap<String, String> before = dump();

    OpResult retry = one(T0 + 5, createSequential("/jobs/job-", "x", id));

    assertThat(retry).isEqualTo(first);
    assertThat(dump()).isEqualTo(before);
    assertThat(node("/jobs").cversion()).isEqualTo(1);
  }

  @Test
  void retriedSetDataKeepsTheVersionEvenWithOtherData() {
    one(T0, create("/n", "a"));
    RequestId id = id("client-1", 1);
    OpResult first = one(T0, set("/n", "b", id));
    assertThat(first.getSetData().getStat().getVersion()).isEqualTo(1);

    OpResult retry = one(T0 + 1, set("/n", "something else", id));

    assertThat(retry).isEqualTo(first);
    assertThat(node("/n").version()).isEqualTo(1);
    assertThat(node("/n").data()).isEqualTo("b".getBytes());
  }

  @Test
  void aRetryInTheSameEntryGetsTheFirstResult() {
    one(T0, create("/n", ""));
    RequestId id = id("client-1", 1);

    List<OpResult> results = apply(entry(T0, MAX, set("/n", "b", id), set("/n", "b", id)));

    assertThat(results.get(1)).isEqualTo(results.get(0));
    assertThat(results.get(0).getZxid()).isEqualTo(EntryApplier.zxid(index, 0));
    assertThat(node("/n").version()).isEqualTo(1);
  }

  @Test
  void aFailureIsRememberedToo() {
    RequestId id = id("client-1", 3);
    OpResult first = one(T0, delete("/n", id));
    assertThat(first.getError()).isEqualTo(ErrorCode.NO_NODE);
    one(T0, create("/n", ""));

    OpResult retry = one(T0, delete("/n", id));

    assertThat(retry).isEqualTo(first);
    assertThat(node("/n")).isNotNull();
  }

  @Test
  void anotherCallOrAnotherClientIsANewWrite() {
    one(T0, create("/n", ""));
    one(T0, set("/n", "1", id("client-1", 1)));
    one(T0, set("/n", "2", id("client-1", 2)));
    one(T0, set("/n", "3", id("client-2", 1)));

    assertThat(node("/n").version()).isEqualTo(3);
  }

  @Test
  void anEmptyClientIdMeansNoDedup() {
    one(T0, create("/n", ""));
    RequestId anonymous = RequestId.newBuilder().setCallId(1).build();
    one(T0, set("/n", "1", anonymous));
    one(T0, set("/n", "1", anonymous));

    assertThat(node("/n").version()).isEqualTo(2);
  }

  @Test
  void aClientIdOver64BytesIsRefusedAndChangesNothing() {
    one(T0, create("/n", ""));
    RequestId tooLong = RequestId.newBuilder().setClientId(ByteString.copyFrom(new byte[65])).setCallId(1).build();
    RequestId longest = RequestId.newBuilder().setClientId(ByteString.copyFrom(new byte[64])).setCallId(1).build();

    OpResult refused = one(T0, set("/n", "1", tooLong));
    OpResult accepted = one(T0, set("/n", "1", longest));

    assertThat(refused.getError()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(refused.getErrorMessage()).isEqualTo("client_id longer than 64 bytes");
    assertThat(accepted.getError()).isEqualTo(ErrorCode.ERROR_CODE_UNSPECIFIED);
    assertThat(node("/n").version()).isEqualTo(1);
  }

  @Test
  void aRecordIsKeptForTheRetentionAndPrunedAfterIt() {
    one(T0, create("/q", ""));
    RequestId id = id("client-1", 9);
    OpResult first = one(T0, createSequential("/q/item-", "", id));

    // exactly the retention later the record is still there
    assertThat(one(T0 + R, createSequential("/q/item-", "", id))).isEqualTo(first);
    assertThat(remembered(id)).isTrue();

    // pruning runs once a second of entry time: an entry stamped that long after the retention prunes it ...
    one(T0 + R + EntryApplier.DEDUP_PRUNE_EVERY_MS, create("/unrelated", ""));
    assertThat(remembered(id)).isFalse();

    // ... and a retry after that is a new write
    OpResult again = one(T0 + R + EntryApplier.DEDUP_PRUNE_EVERY_MS + 1, createSequential("/q/item-", "", id));
    assertThat(again.getError()).isEqualTo(ErrorCode.ERROR_CODE_UNSPECIFIED);
    assertThat(again.getCreate().getPath()).isEqualTo("/q/item-0000000001");
    assertThat(node("/q").numChildren()).isEqualTo(2);
  }

  @Test
  void anExpiredRecordNoLongerCountsBeforeItIsPruned() {
    one(T0, create("/q", ""));
    RequestId id = id("client-1", 9);
    one(T0, createSequential("/q/item-", "", id));
    one(T0 + R, create("/unrelated", "")); // the last prune before the retry

    OpResult retry = one(T0 + R + 1, createSequential("/q/item-", "", id));

    assertThat(retry.getError()).isEqualTo(ErrorCode.ERROR_CODE_UNSPECIFIED);
    assertThat(retry.getCreate().getPath()).isEqualTo("/q/item-0000000001");
  }

  @Test
  void pruningIsBoundedPerEntryButCatchesUp() {
    one(T0, create("/n", ""));
    // 3,000 records in three entries a millisecond apart, more than one prune may drop
    int perEntry = 1000;
    for (int batch = 0; batch < 3; batch++) {
      Op[] ops = new Op[perEntry];
      for (int i = 0; i < ops.length; i++) {
        ops[i] = set("/n", "", id("client-1", perEntry * batch + i));
      }
      apply(entry(T0 + batch, MAX, ops));
    }
    assertThat(remembered(id("client-1", 0))).isTrue();

    long later = T0 + R + EntryApplier.DEDUP_PRUNE_EVERY_MS + 3;
    one(later, create("/a", ""));
    assertThat(remembered(id("client-1", 0))).as("the oldest go first").isFalse();
    assertThat(remembered(id("client-1", 3 * perEntry - 1))).as("a bounded amount of work per entry").isTrue();

    // later entries, even stamped with the same time, go on until none is left
    for (int i = 0; i < 3; i++) {
      one(later, create("/b" + i, ""));
    }
    for (int i = 0; i < 3 * perEntry; i++) {
      assertThat(remembered(id("client-1", i))).isFalse();
    }
    assertThat(expiryRecords()).isZero();
  }

  private int expiryRecords() {
    try (KvReader r = store.reader()) {
      int[] n = {0};
      r.scan(Keys.DEDUP_EXPIRY_PREFIX, null, (k, v) -> ++n[0] > 0);
      return n[0];
    }
  }

  @Test
  void anEntryListsItsResultsInOneRecordForPruning() {
    one(T0, create("/n", ""));
    apply(entry(T0, MAX, set("/n", "", id("client-1", 1)), set("/n", "", id("client-1", 2)),
        set("/n", "", id("client-2", 1)), set("/n", "", null)));
    assertThat(expiryRecords()).isEqualTo(1);
    apply(entry(T0, MAX, set("/n", "", null)));
    assertThat(expiryRecords()).as("an entry without identified writes lists nothing").isEqualTo(1);

    one(T0 + R + EntryApplier.DEDUP_PRUNE_EVERY_MS, create("/later", ""));
    assertThat(expiryRecords()).isZero();
    assertThat(remembered(id("client-1", 2))).isFalse();
    assertThat(remembered(id("client-2", 1))).isFalse();
  }

  @Test
  void aStoreWithOneExpiryRecordPerResultIsStillPruned() {
    one(T0, create("/n", ""));
    RequestId id = id("client-1", 1);
    byte[] dedupKey = Keys.dedup(id.getClientId().toByteArray(), id.getCallId());
    // the earlier layout: 'e' + time + the dedup key without its prefix, empty value
    byte[] oldExpiry = java.nio.ByteBuffer.allocate(8 + dedupKey.length).put((byte) 'e').putLong(T0)
        .put(dedupKey, 1, dedupKey.length - 1).array();
    KvTxn txn = store.begin();
    txn.put(dedupKey, java.nio.ByteBuffer.allocate(8 + 2).putLong(T0).put(new byte[2]).array());
    txn.put(oldExpiry, new byte[0]);
    txn.commit();

    one(T0 + R + EntryApplier.DEDUP_PRUNE_EVERY_MS, create("/later", ""));

    assertThat(remembered(id)).isFalse();
    assertThat(expiryRecords()).isZero();
  }
}
