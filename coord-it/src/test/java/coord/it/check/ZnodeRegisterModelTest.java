package coord.it.check;

import static coord.it.check.Ops.p;
import static org.assertj.core.api.Assertions.assertThat;

import coord.it.history.Operation;
import org.junit.jupiter.api.Test;

/** Single steps of the ZooKeeper register model. */
class ZnodeRegisterModelTest {
  private final ZnodeRegisterModel model = new ZnodeRegisterModel();
  private final RegisterState absent = RegisterState.ABSENT;
  private final RegisterState x3 = RegisterState.present("x", 3);

  private RegisterState step(RegisterState s, Operation op) {
    return model.step(s, op);
  }

  @Test
  void create() {
    assertThat(step(absent, p(1).create("/a", "v").ok().at(0, 1)))
        .isEqualTo(RegisterState.present("v", 0));
    assertThat(step(absent, p(1).create("/a", "v").okVersion(1).at(0, 1))).isNull();
    assertThat(step(x3, p(1).create("/a", "v").ok().at(0, 1))).isNull();
    assertThat(step(x3, p(1).create("/a", "v").fails("NODE_EXISTS").at(0, 1))).isEqualTo(x3);
    assertThat(step(absent, p(1).create("/a", "v").fails("NODE_EXISTS").at(0, 1))).isNull();
  }

  @Test
  void set() {
    assertThat(step(x3, p(1).set("/a", "y", 3).okVersion(4).at(0, 1)))
        .isEqualTo(RegisterState.present("y", 4));
    assertThat(step(x3, p(1).set("/a", "y", -1).ok().at(0, 1)))
        .isEqualTo(RegisterState.present("y", 4));
    assertThat(step(x3, p(1).set("/a", "y", 2).ok().at(0, 1))).isNull();
    assertThat(step(x3, p(1).set("/a", "y", 2).fails("BAD_VERSION").at(0, 1))).isEqualTo(x3);
    assertThat(step(x3, p(1).set("/a", "y", 3).fails("BAD_VERSION").at(0, 1))).isNull();
    assertThat(step(absent, p(1).set("/a", "y", -1).fails("NO_NODE").at(0, 1))).isEqualTo(absent);
    assertThat(step(absent, p(1).set("/a", "y", -1).fails("BAD_VERSION").at(0, 1))).isNull();
  }

  @Test
  void delete() {
    assertThat(step(x3, p(1).delete("/a", 3).ok().at(0, 1))).isEqualTo(absent);
    assertThat(step(x3, p(1).delete("/a", 0).ok().at(0, 1))).isNull();
    assertThat(step(x3, p(1).delete("/a", 0).fails("BAD_VERSION").at(0, 1))).isEqualTo(x3);
    assertThat(step(absent, p(1).delete("/a", -1).fails("NO_NODE").at(0, 1))).isEqualTo(absent);
    assertThat(step(absent, p(1).delete("/a", -1).ok().at(0, 1))).isNull();
  }

  @Test
  void get() {
    assertThat(step(x3, p(1).get("/a").reads("x", 3).at(0, 1))).isEqualTo(x3);
    assertThat(step(x3, p(1).get("/a").reads("x", 2).at(0, 1))).isNull();
    assertThat(step(x3, p(1).get("/a").reads("y", 3).at(0, 1))).isNull();
    assertThat(step(x3, p(1).get("/a").readsAbsent().at(0, 1))).isNull();
    assertThat(step(absent, p(1).get("/a").readsAbsent().at(0, 1))).isEqualTo(absent);
    assertThat(step(absent, p(1).get("/a").fails("NO_NODE").at(0, 1))).isEqualTo(absent);
    assertThat(step(absent, p(1).get("/a").reads("x", 3).at(0, 1))).isNull();
  }

  @Test
  void indeterminateWritesAreNeverIllegal() {
    assertThat(step(x3, p(1).create("/a", "v").indeterminateAt(0))).isEqualTo(x3);
    assertThat(step(x3, p(1).set("/a", "y", 0).indeterminateAt(0))).isEqualTo(x3);
    assertThat(step(x3, p(1).set("/a", "y", 3).indeterminateAt(0)))
        .isEqualTo(RegisterState.present("y", 4));
    assertThat(step(x3, p(1).delete("/a", -1).indeterminateAt(0))).isEqualTo(absent);
  }

  @Test
  void relevance() {
    assertThat(ZnodeRegisterModel.isRelevant(p(1).get("/a").indeterminateAt(0))).isFalse();
    assertThat(ZnodeRegisterModel.isRelevant(p(1).create("/a/b", "v").fails("NO_NODE").at(0, 1)))
        .isFalse();
    assertThat(ZnodeRegisterModel.isRelevant(p(1).delete("/a", -1).fails("NOT_EMPTY").at(0, 1)))
        .isFalse();
    assertThat(ZnodeRegisterModel.isRelevant(p(1).set("/a", "v", 1).fails("BAD_VERSION").at(0, 1)))
        .isTrue();
  }
}
