package coord.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkRulesTest {

  @Test
  void shapes() {
    assertThat(LinkRules.cut(Set.of(2, 3))).isEqualTo(new LinkRules(Set.of(2, 3), Set.of(2, 3), Set.of(), 0));
    assertThat(LinkRules.deaf(Set.of(1))).isEqualTo(new LinkRules(Set.of(1), Set.of(), Set.of(), 0));
    assertThat(LinkRules.lossy(Set.of(1), 30)).isEqualTo(new LinkRules(Set.of(), Set.of(), Set.of(1), 30));
    assertThat(new LinkRules(Set.of(), Set.of(), Set.of(1), 0).isEmpty()).isTrue();
    assertThat(LinkRules.deaf(Set.of(1)).isEmpty()).isFalse();
  }

  @Test
  void lossMustBeAPercentage() {
    assertThatThrownBy(() -> LinkRules.lossy(Set.of(1), 101)).isInstanceOf(IllegalArgumentException.class);
  }
}
