package coord.it.check;

import coord.it.history.Input;
import coord.it.history.OpType;
import coord.it.history.Operation;
import coord.it.history.Outcome;

/**
 * Terse construction of hand-written histories:
 * {@code Ops.p(1).set("/a", "x", -1).ok().at(0, 10)}.
 */
final class Ops {
  private final int process;
  private OpType type;
  private String path;
  private Input input = Input.NONE;
  private Outcome outcome;

  private Ops(int process) {
    this.process = process;
  }

  static Ops p(int process) {
    return new Ops(process);
  }

  Ops create(String path, String value) {
    return op(OpType.CREATE, path, new Input(value, null));
  }

  Ops set(String path, String value, int expectedVersion) {
    return op(OpType.SET, path, new Input(value, expectedVersion));
  }

  Ops delete(String path, int expectedVersion) {
    return op(OpType.DELETE, path, new Input(null, expectedVersion));
  }

  Ops get(String path) {
    return op(OpType.GET, path, Input.NONE);
  }

  private Ops op(OpType type, String path, Input input) {
    this.type = type;
    this.path = path;
    this.input = input;
    return this;
  }

  Ops ok() {
    outcome = Outcome.ok();
    return this;
  }

  Ops okVersion(int version) {
    outcome = Outcome.okVersion(version);
    return this;
  }

  Ops reads(String value, int version) {
    outcome = Outcome.okValue(value, version);
    return this;
  }

  Ops readsAbsent() {
    outcome = Outcome.okAbsent();
    return this;
  }

  Ops fails(String error) {
    outcome = Outcome.fail(error);
    return this;
  }

  /** A definite operation over [call, ret]. */
  Operation at(long call, long ret) {
    return new Operation(process, type, path, input, outcome, call, ret);
  }

  /** An indeterminate operation called at {@code call}. */
  Operation indeterminateAt(long call) {
    return new Operation(process, type, path, input, Outcome.indeterminate(), call, null);
  }
}
