package coord.it.workload;

import coord.api.v1.CreateMode;
import coord.client.Children;
import coord.client.CoordClient;
import coord.it.check.SetChecker;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * No lost writes: clients spread over the members create unique children of {@code /it/set}; after the
 * restart one linearizable listing must hold every acknowledged create ({@link SetChecker}).
 */
public final class SetWorkload implements Workload {
  static final String ROOT = "/it/set";

  private final int clients;
  private final Duration pause;
  private PinnedClientLoops loops;
  private HistoryWriter history;

  public SetWorkload(int clients, Duration pause) {
    this.clients = clients;
    this.pause = pause;
  }

  @Override
  public String name() {
    return "set";
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
    loops = PinnedClientLoops.start(name(), ctx, clients, pause, (process, client) -> {
      long[] counter = {0};
      return () -> {
        String path = ROOT + "/e-p" + process + "-" + counter[0]++;
        Call<?> c = Call.run(() -> client.create(path, path.getBytes(StandardCharsets.UTF_8), CreateMode.PERSISTENT));
        Outcome out = c.outcome();
        history.append(new Operation(process, OpType.CREATE, path, new Input(path, null), out, c.callNanos(),
            out.isIndeterminate() ? null : c.returnNanos()));
      };
    });
  }

  @Override
  public void stop() throws InterruptedException {
    loops.stop();
    try {
      history.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<CheckResult> check(WorkloadContext ctx, FaultLog faults) throws Exception {
    List<Operation> ops = HistoryReader.read(ctx.runDir().resolve(name() + ".jsonl"));
    Set<String> present = new HashSet<>();
    try (CoordClient c = Clients.pinned(ctx, 0)) {
      Children children = Clients.settle("list " + ROOT, () -> c.getChildren(ROOT));
      children.names().forEach(n -> present.add(ROOT + "/" + n));
    }
    return List.of(new SetChecker().check(ops, present));
  }
}
