package coord.it.run;

import coord.api.v1.CreateMode;
import coord.api.v1.ErrorCode;
import coord.client.CoordClient;
import coord.client.CoordException;
import coord.it.fault.FaultLog;
import coord.it.workload.CheckResult;
import coord.it.workload.Workload;
import coord.it.workload.WorkloadContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The harness's own smoke workload: one client per member creates unique children of {@value #ROOT}; at the
 * end every acknowledged create must be present and nothing present may be unattempted (Jepsen's set
 * checker). The real workloads live in {@code coord.it.workload}.
 */
public final class ProbeSetWorkload implements Workload {
  private static final Logger LOG = LoggerFactory.getLogger(ProbeSetWorkload.class);
  static final String ROOT = "/cit-set";
  private static final long PAUSE_MS = 20;

  private final Set<String> attempted = ConcurrentHashMap.newKeySet();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicLong failed = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();
  private final List<CoordClient> clients = new ArrayList<>();
  private volatile boolean running;
  private Duration opTimeout;

  @Override
  public String name() {
    return "probe-set";
  }

  @Override
  public void setUp(WorkloadContext ctx) {
    try (CoordClient c = client(ctx.endpoints(), ctx.opTimeout().multipliedBy(5))) {
      c.create(ROOT, new byte[0], CreateMode.PERSISTENT);
    } catch (CoordException e) {
      if (e.code() != ErrorCode.NODE_EXISTS) {
        throw e;
      }
    }
  }

  @Override
  public void start(WorkloadContext ctx) {
    opTimeout = ctx.opTimeout();
    running = true;
    List<String> eps = ctx.endpoints();
    for (int p = 0; p < eps.size(); p++) {
      List<String> pinned = new ArrayList<>(eps.subList(p, eps.size()));
      pinned.addAll(eps.subList(0, p));
      CoordClient client = client(pinned, ctx.opTimeout());
      clients.add(client);
      int process = p;
      Thread t = new Thread(() -> load(process, client), "probe-set-" + p);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private static CoordClient client(List<String> endpoints, Duration timeout) {
    return CoordClient.builder().endpoints(endpoints).requestTimeout(timeout)
        .attemptTimeout(timeout.dividedBy(2)).build();
  }

  private void load(int process, CoordClient client) {
    for (long n = 0; running; n++) {
      String child = "e-" + process + "-" + n;
      attempted.add(child);
      try {
        client.create(ROOT + "/" + child, child.getBytes(StandardCharsets.UTF_8), CreateMode.PERSISTENT);
        acknowledged.add(child);
      } catch (CoordException e) {
        failed.incrementAndGet();
      }
      try {
        Thread.sleep(PAUSE_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void stop() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(opTimeout.toMillis() + 5000);
      if (t.isAlive()) {
        LOG.warn("{} still running after stop", t.getName());
      }
    }
    clients.forEach(CoordClient::close);
  }

  @Override
  public List<CheckResult> check(WorkloadContext ctx, FaultLog faults) {
    Set<String> present;
    try (CoordClient c = client(ctx.endpoints(), ctx.opTimeout().multipliedBy(5))) {
      present = new HashSet<>(c.getChildren(ROOT).names());
    }
    Set<String> lost = new TreeSet<>(acknowledged);
    lost.removeAll(present);
    Set<String> unexpected = new TreeSet<>(present);
    unexpected.removeAll(attempted);
    long anomalies = lost.size() + unexpected.size();
    String summary = String.format("%d attempted, %d acknowledged, %d failed or unknown, %d present; lost %s, unexpected %s",
        attempted.size(), acknowledged.size(), failed.get(), present.size(), first(lost), first(unexpected));
    return List.of(new CheckResult("no-lost-writes", anomalies == 0, attempted.size(), anomalies, summary));
  }

  private static String first(Set<String> s) {
    return s.isEmpty() ? "none" : s.size() + " (first " + s.iterator().next() + ")";
  }
}
