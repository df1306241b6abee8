package coord.statemachine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeysTest {
  private static byte[] key(String client, long call) {
    return Keys.dedup(client.getBytes(UTF_8), call);
  }

  @Test
  void aPrefixEndsAtTheNextKeyThatDoesNotStartWithIt() {
    assertThat(Keys.prefixEnd(new byte[] {'a'})).containsExactly('b');
    assertThat(Keys.prefixEnd(new byte[] {'n', '/', 0})).containsExactly('n', '/', 1);
    assertThat(Keys.prefixEnd(new byte[] {'a', (byte) 0xFF, (byte) 0xFF})).containsExactly('b');
    assertThat(Keys.prefixEnd(new byte[] {(byte) 0xFF})).isNull();
    assertThat(Keys.prefixEnd(new byte[0])).isNull();
  }

  @Test
  void dedupKeysRoundTripAsRunsOfConsecutiveCallsPerClient() {
    List<byte[]> keys = new ArrayList<>();
    for (long call = 100; call < 110; call++) {
      keys.add(key("client-a", call));
      keys.add(key("client-bb", call * 2)); // no two consecutive
    }
    keys.add(key("client-a", 200));
    keys.add(key("client-a", Long.MAX_VALUE));
    List<byte[]> expected = new ArrayList<>(keys);
    expected.sort(Arrays::compareUnsigned);
    keys.add(key("client-a", 105)); // listed twice
    Collections.shuffle(keys, new Random(7));

    List<byte[]> decoded = Keys.decodeDedupKeys(Keys.encodeDedupKeys(keys));

    assertThat(decoded).containsExactlyElementsOf(expected);
  }

  @Test
  void consecutiveCallsOfOneClientCostOneRun() {
    List<byte[]> keys = new ArrayList<>();
    for (long call = 1; call <= 34; call++) {
      keys.add(key("0123456789abcdef", call));
    }
    assertThat(Keys.encodeDedupKeys(keys)).hasSize(1 + 16 + 8 + 4);
    assertThat(Keys.encodeDedupKeys(List.of())).isEmpty();
  }
}
