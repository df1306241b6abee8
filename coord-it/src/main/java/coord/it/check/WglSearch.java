package coord.it.check;

import coord.it.history.Operation;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Wing &amp; Gong's linearizability search with Lowe's memoisation, on one partition.
 *
 * <p>The history is a doubly linked list of call and return events ordered by time (a call before
 * a return at the same instant, so touching operations count as concurrent). Walking from the
 * head, the search tries to linearize each operation whose call it meets, in call order; on
 * success it unlinks that operation's events, pushes it, and restarts from the head. Meeting a
 * return event means the pending operation was not linearized before its response, so it pops the
 * last choice and tries the next call after it. A (linearized set, model state) pair already seen
 * is skipped: the rest of the search depends on nothing else.
 *
 * <p>Indeterminate operations have no return event (return = +∞): they may be linearized at any
 * point after their call, and the search succeeds once every <em>determinate</em> operation is
 * linearized, so indeterminate ones left over never took effect.
 *
 * <p>Not thread-safe; one instance per search.
 *
 * @param <S> model state
 */
final class WglSearch<S> {
  private static final int CLOCK_CHECK_INTERVAL = 1024;

  private static final class Entry {
    final int id; // operation index; -1 for the sentinels
    final boolean call;
    final long time;
    Entry match; // call -> its return (null when indeterminate)
    Entry prev;
    Entry next;

    Entry(int id, boolean call, long time) {
      this.id = id;
      this.call = call;
      this.time = time;
    }
  }

  private record Frame<S>(Entry call, S state) {}

  private record Config<S>(BitSet linearized, S state) {}

  /** Result of one search. {@code explanation} is set for VIOLATION only. */
  record Outcome(Verdict verdict, long steps, Explanation explanation) {}

  private final List<Operation> ops;
  private final Model<S> model;
  private final Budget budget;

  private final Entry head = new Entry(-1, false, Long.MIN_VALUE);
  private final Entry tail = new Entry(-1, false, Long.MAX_VALUE);
  private int determinate;

  // The longest partial linearization seen, for explanations.
  private int[] best = new int[0];
  private S bestState;

  WglSearch(List<Operation> ops, Model<S> model, Budget budget) {
    this.ops = List.copyOf(ops);
    this.model = model;
    this.budget = budget;
    buildList();
  }

  private void buildList() {
    List<Entry> entries = new ArrayList<>(ops.size() * 2);
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      Entry call = new Entry(i, true, op.callNanos());
      entries.add(call);
      if (!op.isIndeterminate()) {
        Entry ret = new Entry(i, false, op.returnNanos());
        call.match = ret;
        ret.match = call;
        entries.add(ret);
        determinate++;
      }
    }
    entries.sort(
        Comparator.comparingLong((Entry e) -> e.time)
            .thenComparing(e -> !e.call) // calls first at equal times
            .thenComparingInt(e -> e.id));
    Entry prev = head;
    for (Entry e : entries) {
      prev.next = e;
      e.prev = prev;
      prev = e;
    }
    prev.next = tail;
    tail.prev = prev;
  }

  private static void lift(Entry call) {
    call.prev.next = call.next;
    call.next.prev = call.prev;
    Entry ret = call.match;
    if (ret != null) {
      ret.prev.next = ret.next;
      ret.next.prev = ret.prev;
    }
  }

  private static void unlift(Entry call) {
    Entry ret = call.match;
    if (ret != null) {
      ret.prev.next = ret;
      ret.next.prev = ret;
    }
    call.prev.next = call;
    call.next.prev = call;
  }

  Outcome run() {
    long deadline = System.nanoTime() + budget.perPartition().toNanos();
    S state = model.init();
    bestState = state;
    if (determinate == 0) {
      return new Outcome(Verdict.OK, 0, null);
    }
    BitSet linearized = new BitSet(ops.size());
    Set<Config<S>> seen = new HashSet<>();
    List<Frame<S>> stack = new ArrayList<>();
    int linearizedDeterminate = 0;
    long steps = 0;
    Entry entry = head.next;
    while (true) {
      steps++;
      if (steps > budget.maxSteps()
          || (steps % CLOCK_CHECK_INTERVAL == 0 && System.nanoTime() > deadline)) {
        return new Outcome(Verdict.UNKNOWN, steps, null);
      }
      if (entry != tail && entry.call) {
        Operation op = ops.get(entry.id);
        S next = model.step(state, op);
        if (next != null) {
          linearized.set(entry.id);
          if (seen.add(new Config<>((BitSet) linearized.clone(), next))) {
            stack.add(new Frame<>(entry, state));
            state = next;
            lift(entry);
            if (entry.match != null) {
              linearizedDeterminate++;
              if (linearizedDeterminate == determinate) {
                return new Outcome(Verdict.OK, steps, null);
              }
            }
            if (stack.size() > best.length) {
              recordBest(stack, state);
            }
            entry = head.next;
            continue;
          }
          linearized.clear(entry.id);
        }
        entry = entry.next;
      } else {
        // A return event (or the end): the pending operation could not be linearized in time.
        if (stack.isEmpty()) {
          return new Outcome(Verdict.VIOLATION, steps, explain());
        }
        Frame<S> top = stack.remove(stack.size() - 1);
        state = top.state();
        linearized.clear(top.call().id);
        if (top.call().match != null) {
          linearizedDeterminate--;
        }
        unlift(top.call());
        entry = top.call().next;
      }
    }
  }

  private void recordBest(List<Frame<S>> stack, S state) {
    best = new int[stack.size()];
    for (int i = 0; i < best.length; i++) {
      best[i] = stack.get(i).call().id;
    }
    bestState = state;
  }

  private Explanation explain() {
    BitSet in = new BitSet(ops.size());
    List<Operation> prefix = new ArrayList<>(best.length);
    for (int id : best) {
      in.set(id);
      prefix.add(ops.get(id));
    }
    Operation stuck = null;
    for (int i = 0; i < ops.size(); i++) {
      Operation op = ops.get(i);
      if (!in.get(i) && !op.isIndeterminate()
          && (stuck == null || op.returnNanos() < stuck.returnNanos())) {
        stuck = op;
      }
    }
    Objects.requireNonNull(stuck, "a violation leaves a determinate operation unlinearized");
    List<String> candidates = new ArrayList<>();
    for (int i = 0; i < ops.size() && candidates.size() < Explanation.MAX_CANDIDATES; i++) {
      Operation op = ops.get(i);
      if (!in.get(i) && op.callNanos() <= stuck.returnNanos()) {
        candidates.add(op + "  <- " + model.explain(bestState, op));
      }
    }
    return new Explanation(prefix, model.describe(bestState), stuck, candidates);
  }
}
