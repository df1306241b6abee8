package coord.statemachine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@link KvStore} contract that the real store and its in-memory twin share: a transaction reads its
 * own writes over committed state, scans merge both in unsigned key order, savepoints roll back.
 */
abstract class KvStoreContract {
  /** The store under test, open and empty. */
  abstract KvStore store();

  static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  static String s(byte[] b) {
    return b == null ? null : new String(b, UTF_8);
  }

  /** "key=value" for every entry under {@code prefix} from {@code from}. */
  static List<String> scan(KvReader r, String prefix, String from) {
    List<String> out = new ArrayList<>();
    r.scan(b(prefix), from == null ? null : b(from), (k, v) -> out.add(s(k) + "=" + s(v)));
    return out;
  }

  void commit(String... keyValues) {
    KvTxn txn = store().begin();
    for (int i = 0; i < keyValues.length; i += 2) {
      txn.put(b(keyValues[i]), b(keyValues[i + 1]));
    }
    txn.commit();
  }

  List<String> committed(String prefix) {
    try (KvReader r = store().reader()) {
      return scan(r, prefix, null);
    }
  }

  @Test
  void aTransactionReadsItsOwnWritesOverCommittedState() {
    commit("k1", "old1", "k2", "old2", "k4", "old4", "other", "x");

    KvTxn txn = store().begin();
    txn.put(b("k2"), b("new2"));
    txn.put(b("k3"), b("new3"));
    txn.delete(b("k4"));
    txn.put(b("k5"), b("new5"));
    txn.delete(b("k5"));
    txn.delete(b("k9"));

    assertThat(s(txn.get(b("k1")))).isEqualTo("old1");
    assertThat(s(txn.get(b("k2")))).isEqualTo("new2");
    assertThat(s(txn.get(b("k3")))).isEqualTo("new3");
    assertThat(txn.get(b("k4"))).isNull();
    assertThat(txn.get(b("k5"))).isNull();
    assertThat(scan(txn, "k", null)).containsExactly("k1=old1", "k2=new2", "k3=new3");
    assertThat(scan(txn, "k", "k2")).containsExactly("k2=new2", "k3=new3");
    assertThat(scan(txn, "k", "k4")).isEmpty();
    assertThat(committed("k")).as("nothing visible before commit").containsExactly("k1=old1", "k2=old2", "k4=old4");

    txn.commit();
    assertThat(committed("k")).containsExactly("k1=old1", "k2=new2", "k3=new3");
    assertThat(committed("o")).containsExactly("other=x");
  }

  @Test
  void repeatedReadsInATransactionFollowItsWritesAndHandOutCopies() {
    commit("a", "1", "e", "");
    KvTxn txn = store().begin();
    assertThat(s(txn.get(b("a")))).isEqualTo("1");
    assertThat(txn.get(b("e"))).as("an empty value is not an absent one").isEmpty();
    assertThat(txn.get(b("z"))).isNull();

    byte[] got = txn.get(b("a"));
    got[0] = 'X'; // a caller scribbling on what it got changes nothing
    assertThat(s(txn.get(b("a")))).isEqualTo("1");

    byte[] written = b("2");
    txn.put(b("a"), written);
    written[0] = 'Y';
    assertThat(s(txn.get(b("a")))).isEqualTo("2");
    txn.put(b("z"), new byte[0]);
    assertThat(txn.get(b("z"))).isEmpty();
    txn.delete(b("e"));
    assertThat(txn.get(b("e"))).isNull();

    txn.setSavepoint();
    txn.put(b("a"), b("3"));
    txn.delete(b("z"));
    assertThat(s(txn.get(b("a")))).isEqualTo("3");
    txn.rollbackToSavepoint();
    assertThat(s(txn.get(b("a")))).isEqualTo("2");
    assertThat(txn.get(b("z"))).isEmpty();
    assertThat(txn.get(b("e"))).isNull();
    txn.commit();
    assertThat(committed("")).containsExactly("a=2", "z=");
  }

  @Test
  void aScanStopsWhenTheVisitorSaysSo() {
    commit("a1", "1", "a2", "2", "a3", "3");
    KvTxn txn = store().begin();
    txn.put(b("a0"), b("0"));
    List<String> seen = new ArrayList<>();
    txn.scan(b("a"), null, (k, v) -> seen.add(s(k)) && seen.size() < 2);
    assertThat(seen).containsExactly("a0", "a1");
    seen.clear();
    try (KvReader r = store().reader()) {
      r.scan(b("a"), null, (k, v) -> seen.add(s(k)) && seen.size() < 2);
    }
    assertThat(seen).containsExactly("a1", "a2");
  }

  @Test
  void keysCompareAsUnsignedBytes() {
    commit("p\u0001", "committed-low");
    KvTxn txn = store().begin();
    txn.put(new byte[] {'p', (byte) 0x80}, b("high"));
    txn.put(new byte[] {'p', 0x00}, b("low"));
    assertThat(scan(txn, "p", null)).extracting(e -> e.substring(e.indexOf('=') + 1))
        .containsExactly("low", "committed-low", "high");
    txn.commit();
    assertThat(committed("p")).extracting(e -> e.substring(e.indexOf('=') + 1))
        .containsExactly("low", "committed-low", "high");
  }

  @Test
  void rollbackToSavepointDropsOnlyTheLaterWrites() {
    commit("k1", "v1");
    KvTxn txn = store().begin();
    txn.put(b("k2"), b("kept"));
    txn.setSavepoint();
    txn.put(b("k3"), b("dropped"));
    txn.delete(b("k1"));
    txn.put(b("k2"), b("overwritten"));
    txn.rollbackToSavepoint();

    assertThat(scan(txn, "k", null)).containsExactly("k1=v1", "k2=kept");
    txn.put(b("k4"), b("after"));
    txn.commit();
    assertThat(committed("k")).containsExactly("k1=v1", "k2=kept", "k4=after");
  }
}
