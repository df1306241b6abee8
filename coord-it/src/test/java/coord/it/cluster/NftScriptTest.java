package coord.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class NftScriptTest {

  private static String script(LinkRules rules) {
    return NamespaceNetwork.nftScript(rules, id -> "10.0.0." + id);
  }

  @Test
  void cutDropsBothDirections() {
    String s = script(LinkRules.cut(Set.of(3, 2)));
    assertThat(s).contains("table inet citfault {")
        .contains("type filter hook input priority 0; policy accept;\n    ip saddr { 10.0.0.2, 10.0.0.3 } drop\n")
        .contains("type filter hook output priority 0; policy accept;\n    ip daddr { 10.0.0.2, 10.0.0.3 } drop\n");
  }

  @Test
  void deafDropsOnlyIncoming() {
    String s = script(LinkRules.deaf(Set.of(1)));
    assertThat(s).contains("ip saddr { 10.0.0.1 } drop").doesNotContain("daddr");
  }

  @Test
  void lossUsesRandomNumbersBothWays() {
    String s = script(LinkRules.lossy(Set.of(2), 30));
    assertThat(s).contains("ip saddr { 10.0.0.2 } numgen random mod 100 < 30 drop")
        .contains("ip daddr { 10.0.0.2 } numgen random mod 100 < 30 drop");
  }
}
