package coord.it.check;

import coord.it.history.Input;
import coord.it.history.OpType;
import coord.it.history.Operation;
import coord.it.history.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates histories from a correct, atomic in-memory znode store under random concurrency.
 *
 * <p>Each process issues operations one after another with random durations; each operation takes
 * effect at a random instant inside its [call, return] window, so the history is linearizable by
 * construction. Indeterminate writes take effect at a random instant after their call (possibly
 * after the client gave up) or never. The store here is written independently of {@link
 * ZnodeRegisterModel} so that the two do not share a bug.
 */
final class RegisterSimulator {

  /** Generation parameters. */
  record Params(int processes, int paths, int opsPerProcess, double indeterminateRate,
      int maxDuration, int maxGap) {
    static final Params SMALL = new Params(5, 3, 60, 0.05, 40, 20);
  }

  /** A generated history plus, per operation, what it wrote (for anomaly injection). */
  record Generated(List<Operation> ops, List<Written> written) {}

  /** The value and version an OK CREATE or SET produced; null for other operations. */
  record Written(String value, int version) {}

  private record Node(String data, int version) {}

  private static final class Planned {
    int process;
    OpType type;
    String path;
    long call;
    long ret;
    boolean indeterminate;
    Long effectAt;
    Input input;
    Outcome outcome;
    Written written;
  }

  static Generated generate(long seed, Params params) {
    Random rnd = new Random(seed);
    List<Planned> planned = new ArrayList<>();
    for (int p = 0; p < params.processes(); p++) {
      long t = rnd.nextInt(params.maxGap() + 1);
      for (int k = 0; k < params.opsPerProcess(); k++) {
        Planned op = new Planned();
        op.process = p;
        int roll = rnd.nextInt(100);
        op.type = roll < 40 ? OpType.GET : roll < 70 ? OpType.SET : roll < 85 ? OpType.CREATE
            : OpType.DELETE;
        op.path = "/r/" + rnd.nextInt(params.paths());
        op.call = t;
        long duration = 1 + rnd.nextInt(params.maxDuration());
        op.ret = t + duration;
        op.indeterminate = rnd.nextDouble() < params.indeterminateRate();
        if (!op.indeterminate) {
          op.effectAt = op.call + (long) rnd.nextInt((int) duration + 1);
        } else if (rnd.nextBoolean()) {
          op.effectAt = op.call + (long) rnd.nextInt(3 * params.maxDuration() + 1);
        }
        planned.add(op);
        t = op.ret + 1 + rnd.nextInt(params.maxGap() + 1);
      }
    }

    List<Planned> effective = new ArrayList<>();
    for (Planned op : planned) {
      if (op.effectAt != null) {
        effective.add(op);
      }
    }
    effective.sort(Comparator.comparingLong(op -> op.effectAt));
    Map<String, Node> store = new HashMap<>();
    int[] counter = {0};
    for (Planned op : effective) {
      Node node = store.get(op.path);
      op.input = chooseInput(rnd, op.type, node, counter);
      op.outcome = execute(rnd, store, op);
    }
    List<Operation> ops = new ArrayList<>(planned.size());
    List<Written> written = new ArrayList<>(planned.size());
    for (Planned op : planned) {
      if (op.input == null) { // indeterminate, never took effect
        op.input = chooseInput(rnd, op.type, null, counter);
      }
      Outcome outcome = op.indeterminate ? Outcome.indeterminate() : op.outcome;
      ops.add(new Operation(op.process, op.type, op.path, op.input, outcome, op.call,
          op.indeterminate ? null : op.ret));
      written.add(op.indeterminate ? null : op.written);
    }
    return new Generated(ops, written);
  }

  private static Input chooseInput(Random rnd, OpType type, Node node, int[] counter) {
    int current = node == null ? 0 : node.version();
    int roll = rnd.nextInt(10);
    Integer expected = roll < 4 ? Integer.valueOf(-1) : roll < 8 ? current : current + 1;
    return switch (type) {
      case CREATE -> new Input("v" + counter[0]++, null);
      case SET -> new Input("v" + counter[0]++, expected);
      case DELETE -> new Input(null, expected);
      case GET -> Input.NONE;
    };
  }

  /** The atomic store: applies one operation and returns what the client sees. */
  private static Outcome execute(Random rnd, Map<String, Node> store, Planned op) {
    Node node = store.get(op.path);
    int expected = op.input.expectedVersion();
    switch (op.type) {
      case GET:
        if (node == null) {
          return rnd.nextBoolean() ? Outcome.fail("NO_NODE") : Outcome.okAbsent();
        }
        return Outcome.okValue(node.data(), node.version());
      case CREATE:
        if (node != null) {
          return Outcome.fail("NODE_EXISTS");
        }
        store.put(op.path, new Node(op.input.value(), 0));
        op.written = new Written(op.input.value(), 0);
        return rnd.nextBoolean() ? Outcome.okVersion(0) : Outcome.ok();
      case SET:
        if (node == null) {
          return Outcome.fail("NO_NODE");
        }
        if (expected != -1 && expected != node.version()) {
          return Outcome.fail("BAD_VERSION");
        }
        Node next = new Node(op.input.value(), node.version() + 1);
        store.put(op.path, next);
        op.written = new Written(next.data(), next.version());
        return rnd.nextBoolean() ? Outcome.okVersion(next.version()) : Outcome.ok();
      case DELETE:
      default:
        if (node == null) {
          return Outcome.fail("NO_NODE");
        }
        if (expected != -1 && expected != node.version()) {
          return Outcome.fail("BAD_VERSION");
        }
        store.remove(op.path);
        return Outcome.ok();
    }
  }

  /** The kinds of anomaly {@link #inject} can plant. */
  enum Anomaly {
    /** A read returns a value overwritten by a write that completed before the read began. */
    STALE_READ,
    /** A read returns the current value with a wrong version. */
    WRONG_VERSION
  }

  /**
   * Plants one anomaly that makes the history non-linearizable, or returns null if this history
   * has no suitable read. Values are unique, so the planted read is impossible in every order.
   */
  static List<Operation> inject(Generated g, Anomaly anomaly, Random rnd) {
    List<Operation> ops = g.ops();
    List<Integer> reads = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      if (op.op() == OpType.GET && op.outcome().isOk() && op.outcome().value() != null) {
        reads.add(i);
      }
    }
    java.util.Collections.shuffle(reads, rnd);
    for (int r : reads) {
      Operation read = ops.get(r);
      Outcome planted = anomaly == Anomaly.WRONG_VERSION
          ? wrongVersion(g, read)
          : staleValue(g, read);
      if (planted != null) {
        List<Operation> copy = new ArrayList<>(ops);
        copy.set(r, new Operation(read.process(), read.op(), read.path(), read.input(), planted,
            read.callNanos(), read.returnNanos()));
        return copy;
      }
    }
    return null;
  }

  /**
   * The read's value with version + 1, if the value's writer pinned its version (a CREATE, or a
   * SET that reported it); otherwise another order of concurrent writes could explain it.
   */
  private static Outcome wrongVersion(Generated g, Operation read) {
    for (int u = 0; u < g.ops().size(); u++) {
      Operation writer = g.ops().get(u);
      Written value = g.written().get(u);
      if (value != null && value.value().equals(read.outcome().value())) {
        boolean pinned = writer.op() == OpType.CREATE || writer.outcome().version() != null;
        return pinned ? Outcome.okValue(value.value(), value.version() + 1) : null;
      }
    }
    return null;
  }

  /** A value written by U, overwritten by W, with U before W before the read in real time. */
  private static Outcome staleValue(Generated g, Operation read) {
    List<Operation> ops = g.ops();
    for (int w = 0; w < ops.size(); w++) {
      Operation write = ops.get(w);
      if (!write.path().equals(read.path()) || !write.op().isWrite() || !write.outcome().isOk()
          || write.returnNanos() >= read.callNanos()) {
        continue;
      }
      for (int u = 0; u < ops.size(); u++) {
        Operation older = ops.get(u);
        Written value = g.written().get(u);
        if (value != null && older.path().equals(read.path())
            && older.returnNanos() < write.callNanos()) {
          return Outcome.okValue(value.value(), value.version());
        }
      }
    }
    return null;
  }
}
