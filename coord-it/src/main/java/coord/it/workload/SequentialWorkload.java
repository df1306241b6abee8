package coord.it.workload;

import coord.api.v1.CreateMode;
import coord.client.Children;
import coord.client.CoordClient;
import coord.client.CoordException;
import coord.client.Created;
import coord.client.NodeData;
import coord.it.check.SequentialChecker;
import coord.it.check.SequentialCreate;
import coord.it.fault.FaultLog;
import coord.it.history.JsonLines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Sequential names: clients spread over the members create PERSISTENT_SEQUENTIAL children
 * {@code /it/seq/n-} with unique data and record the name and zxid they get
 * ({@code sequential.jsonl}, {@link SequentialCreate}); checked by {@link SequentialChecker} against the
 * final children and their data.
 */
public final class SequentialWorkload implements Workload {
  static final String ROOT = "/it/seq";
  private static final int READ_BATCH = 64;

  private final int clients;
  private final Duration pause;
  private PinnedClientLoops loops;
  private JsonLines log;

  public SequentialWorkload(int clients, Duration pause) {
    this.clients = clients;
    this.pause = pause;
  }

  @Override
  public String name() {
    return "sequential";
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
      log = JsonLines.open(ctx.runDir().resolve(name() + ".jsonl"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    loops = PinnedClientLoops.start(name(), ctx, clients, pause, (process, client) -> {
      long[] counter = {0};
      return () -> {
        String data = "p" + process + "-" + counter[0]++;
        Call<Created> c = Call.run(() ->
            client.create(ROOT + "/n-", data.getBytes(StandardCharsets.UTF_8), CreateMode.PERSISTENT_SEQUENTIAL));
        String status = c.ok() ? "OK" : c.definiteFailure() ? "FAIL" : "INDETERMINATE";
        String name = c.ok() ? c.value().path().substring(ROOT.length() + 1) : null;
        Long zxid = c.ok() ? c.value().stat().getCzxid() : null;
        log.append(new SequentialCreate(process, data, status, c.definiteFailure() ? c.errorName() : null, name,
            zxid, c.callNanos(), c.indeterminate() ? null : c.returnNanos()));
      };
    });
  }

  @Override
  public void stop() throws InterruptedException {
    loops.stop();
    try {
      log.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public List<CheckResult> check(WorkloadContext ctx, FaultLog faults) throws Exception {
    List<SequentialCreate> creates = JsonLines.read(ctx.runDir().resolve(name() + ".jsonl"), SequentialCreate.class);
    Map<String, String> children = new HashMap<>();
    try (CoordClient c = Clients.pinned(ctx, 0)) {
      Children names = Clients.settle("list " + ROOT, () -> c.getChildren(ROOT));
      // Linearizable reads, a batch at a time: a long run leaves thousands of children.
      List<String> all = names.names();
      for (int from = 0; from < all.size(); from += READ_BATCH) {
        List<String> batch = all.subList(from, Math.min(all.size(), from + READ_BATCH));
        List<CompletableFuture<NodeData>> reads = batch.stream().map(n -> c.getDataAsync(ROOT + "/" + n)).toList();
        for (int i = 0; i < batch.size(); i++) {
          String name = batch.get(i);
          CompletableFuture<NodeData> read = reads.get(i);
          Call<NodeData> r = Call.run(() -> {
            try {
              return read.join();
            } catch (CompletionException e) {
              throw CoordException.fromThrowable(e.getCause());
            }
          });
          NodeData d = r.ok() ? r.value() : Clients.settle("read " + name, () -> c.getData(ROOT + "/" + name));
          children.put(name, new String(d.data(), StandardCharsets.UTF_8));
        }
      }
    }
    return List.of(new SequentialChecker().check(creates, children));
  }
}
