package coord.it.workload;

import coord.api.v1.CreateMode;
import coord.api.v1.Stat;
import coord.client.CoordClient;
import coord.client.NodeData;
import coord.it.check.Budget;
import coord.it.check.CheckReport;
import coord.it.check.LinearizabilityChecker;
import coord.it.check.PartitionResult;
import coord.it.fault.FaultLog;
import coord.it.history.HistoryReader;
import coord.it.history.HistoryWriter;
import coord.it.history.Input;
import coord.it.history.OpType;
import coord.it.history.Operation;
import coord.it.history.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Per-key registers: clients spread over the members CREATE, SET (with the last version they saw, or
 * -1), DELETE and linearizably GET a handful of keys with unique values; each key is retired after
 * {@code opsPerKey} operations so that partitions stay small. Readers, also spread over the members, only
 * GET: a client that writes fails over when its member is cut off, a reader stays as long as its reads are
 * answered, so a member that answers reads it must not (from a minority) is read from for the whole fault.
 * Checked by {@link LinearizabilityChecker}: every partition must be OK ({@code UNKNOWN} fails).
 */
public final class RegisterWorkload implements Workload {
  static final String ROOT = "/it/register";

  private final int clients;
  private final int readers;
  private final int keys;
  private final int opsPerKey;
  private final Duration pause;
  private final Duration readerPause;
  private PinnedClientLoops loops;
  private PinnedClientLoops readerLoops;
  private HistoryWriter history;

  /**
   * @param clients clients that read and write
   * @param readers clients that only read
   * @param keys live keys
   * @param opsPerKey operations on one key before it is replaced by a fresh one
   * @param pause each client's pause between operations
   * @param readerPause each reader's pause between reads
   */
  public RegisterWorkload(int clients, int readers, int keys, int opsPerKey, Duration pause, Duration readerPause) {
    this.clients = clients;
    this.readers = readers;
    this.keys = keys;
    this.opsPerKey = opsPerKey;
    this.pause = pause;
    this.readerPause = readerPause;
  }

  @Override
  public String name() {
    return "register";
  }

  @Override
  public void setUp(WorkloadContext ctx) throws Exception {
    try (CoordClient c = Clients.pinned(ctx, 0)) {
      Clients.ensurePaths(c, "/it", ROOT);
    }
  }

  @Override
  public void start(WorkloadContext ctx) {
    try {
      history = HistoryWriter.open(ctx.runDir().resolve(name() + ".jsonl"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    KeyTable table = new KeyTable(keys, opsPerKey);
    // Process ids: clients take 0..clients-1, readers the next ids; each steps by the total when it gives up
    // an indeterminate operation, so that no two ever share one.
    int stride = clients + readers;
    loops = PinnedClientLoops.start(name(), ctx, clients, pause, (index, client) ->
        new RegisterClient(index, stride, false, client, table, new Random(ctx.seed() * 31 + index), history)::step);
    readerLoops = PinnedClientLoops.start(name() + "-reader", ctx, readers, readerPause, (index, client) ->
        new RegisterClient(clients + index, stride, true, client, table,
            new Random(ctx.seed() * 31 + clients + index), history)::step);
  }

  @Override
  public void stop() throws InterruptedException {
    loops.stop();
    readerLoops.stop();
    try {
      history.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<CheckResult> check(WorkloadContext ctx, FaultLog faults) throws Exception {
    List<Operation> ops = HistoryReader.read(ctx.runDir().resolve(name() + ".jsonl"));
    return List.of(checkLinearizable(ops));
  }

  /** The linearizability verdict of a register history as a {@link CheckResult}. */
  public static CheckResult checkLinearizable(List<Operation> ops) {
    return checkLinearizable(ops, Budget.DEFAULT);
  }

  /** As {@link #checkLinearizable(List)} with a search budget; an UNKNOWN partition fails the check. */
  public static CheckResult checkLinearizable(List<Operation> ops, Budget budget) {
    CheckReport report = new LinearizabilityChecker(budget).check(ops);
    long steps = report.partitions().stream().mapToLong(PartitionResult::steps).sum();
    List<PartitionResult> bad = new ArrayList<>(report.violations());
    bad.addAll(report.unknown());
    String head = String.format("%s: %d ops in %d partitions, %d violations, %d unknown, %d steps, %.0f ms",
        report.verdict(), ops.size(), report.partitions().size(), report.violations().size(),
        report.unknown().size(), steps, report.elapsedNanos() / 1e6);
    String summary = bad.isEmpty() ? head : head + "; first: " + oneLine(bad.get(0).toString());
    return new CheckResult("linearizable", report.isLinearizable(), ops.size(), bad.size(), summary);
  }

  static String oneLine(String text) {
    return text.strip().replace("\n", " | ");
  }

  /** The live key of each slot; a slot moves to a fresh key after {@code opsPerKey} operations. */
  static final class KeyTable {
    private final int[] generation;
    private final int[] used;
    private final int opsPerKey;

    KeyTable(int slots, int opsPerKey) {
      this.generation = new int[slots];
      this.used = new int[slots];
      this.opsPerKey = opsPerKey;
    }

    synchronized String take(int slot) {
      if (used[slot]++ >= opsPerKey) {
        generation[slot]++;
        used[slot] = 1;
      }
      return ROOT + "/s" + slot + "-g" + generation[slot];
    }

    int slots() {
      return generation.length;
    }
  }

  /** One recording client: one operation per step. */
  private static final class RegisterClient {
    private final int stride;
    private final boolean readOnly;
    private final CoordClient client;
    private final KeyTable table;
    private final Random random;
    private final HistoryWriter history;
    private final Map<String, Integer> lastVersion = new HashMap<>();
    private int process;
    private long counter;

    RegisterClient(int index, int stride, boolean readOnly, CoordClient client, KeyTable table, Random random,
        HistoryWriter history) {
      this.process = index;
      this.stride = stride;
      this.readOnly = readOnly;
      this.client = client;
      this.table = table;
      this.random = random;
      this.history = history;
    }

    void step() throws IOException {
      String path = table.take(random.nextInt(table.slots()));
      int dice = random.nextInt(100);
      Operation op;
      if (readOnly || dice < 40) {
        op = get(path);
      } else if (dice < 70) {
        op = set(path, dice < 55 ? -1 : lastVersion.getOrDefault(path, 0));
      } else if (dice < 85) {
        op = create(path);
      } else {
        op = delete(path, dice < 93 ? -1 : lastVersion.getOrDefault(path, 0));
      }
      history.append(op);
      if (op.isIndeterminate()) {
        // A process has one operation in flight; the pending one may still take effect later.
        process += stride;
      }
    }

    private String nextValue() {
      return "p" + process + "-" + (counter++);
    }

    private Operation get(String path) {
      Call<NodeData> c = Call.run(() -> client.getData(path));
      Outcome out;
      if (c.ok()) {
        Stat stat = c.value().stat();
        lastVersion.put(path, stat.getVersion());
        out = Outcome.okValue(new String(c.value().data(), StandardCharsets.UTF_8), stat.getVersion());
      } else {
        out = c.outcome();
      }
      return new Operation(process, OpType.GET, path, Input.NONE, out, c.callNanos(), ret(c, out));
    }

    private Operation set(String path, int version) {
      String value = nextValue();
      Call<Stat> c = Call.run(() -> client.setData(path, value.getBytes(StandardCharsets.UTF_8), version));
      Outcome out = c.ok() ? Outcome.okVersion(c.value().getVersion()) : c.outcome();
      if (c.ok()) {
        lastVersion.put(path, c.value().getVersion());
      }
      return new Operation(process, OpType.SET, path, new Input(value, version), out, c.callNanos(), ret(c, out));
    }

    private Operation create(String path) {
      String value = nextValue();
      Call<?> c = Call.run(() -> client.create(path, value.getBytes(StandardCharsets.UTF_8), CreateMode.PERSISTENT));
      Outcome out = c.ok() ? Outcome.okVersion(0) : c.outcome();
      if (c.ok()) {
        lastVersion.put(path, 0);
      }
      return new Operation(process, OpType.CREATE, path, new Input(value, null), out, c.callNanos(), ret(c, out));
    }

    private Operation delete(String path, int version) {
      Call<?> c = Call.run(() -> {
        client.delete(path, version);
        return null;
      });
      Outcome out = c.outcome();
      return new Operation(process, OpType.DELETE, path, new Input(null, version), out, c.callNanos(), ret(c, out));
    }

    private static Long ret(Call<?> c, Outcome out) {
      return out.isIndeterminate() ? null : c.returnNanos();
    }
  }
}
