package coord.server.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import coord.api.v1.CoordGrpc;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.ErrorCode;
import coord.api.v1.GetDataRequest;
import coord.api.v1.GetDataResponse;
import coord.api.v1.SetDataRequest;
import coord.api.v1.SetDataResponse;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Several threads write the same znodes through different members at once: compare-and-set on one node
 * (exactly one writer wins each version), creates of the same paths (exactly one wins each path) and
 * sequential creates under one parent (every name distinct). The model learns the outcome afterwards.
 */
final class ConflictingWriters {
  private final ApiFuzzer f;

  ConflictingWriters(ApiFuzzer f) {
    this.f = f;
  }

  private record Win(int version, String data) {}

  /** {@code threads} writers each try {@code rounds} read-then-CAS steps on /cas. */
  void compareAndSet(int threads, int rounds) throws Exception {
    f.create(CreateRequest.newBuilder().setPath("/cas").setData(ByteString.copyFromUtf8("start")).build(),
        "conflict: setup");
    Map<Integer, String> winners = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        var stub = CoordGrpc.newBlockingStub(f.channels.get(t % f.channels.size()));
        done.add(pool.submit(() -> {
          for (int round = 0; round < rounds; round++) {
            var s = stub.withDeadlineAfter(ApiFuzzer.DEADLINE_MS, TimeUnit.MILLISECONDS);
            GetDataResponse read = s.getData(GetDataRequest.newBuilder().setPath("/cas").build());
            int v = read.getStat().getVersion();
            String data = "t" + thread + "r" + round;
            f.counts.add("conflict: CAS setData");
            try {
              SetDataResponse w = s.setData(SetDataRequest.newBuilder().setPath("/cas").setExpectedVersion(v)
                  .setData(ByteString.copyFromUtf8(data)).setRequestId(f.freshId()).build());
              if (w.getStat().getVersion() != v + 1) {
                throw new AssertionError("CAS at version " + v + " produced version " + w.getStat().getVersion());
              }
              String previous = winners.putIfAbsent(v + 1, data);
              if (previous != null) {
                throw new AssertionError("two writers won version " + (v + 1) + ": " + previous + " and " + data);
              }
            } catch (StatusRuntimeException e) {
              ErrorCode code = Answers.check(e, Answers.Plain.NONE, "CAS " + data);
              if (code != ErrorCode.BAD_VERSION) {
                throw new AssertionError("CAS " + data + " failed with " + code, e);
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> d : done) {
        d.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    int last = winners.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
    for (int v = 1; v <= last; v++) {
      if (!winners.containsKey(v)) {
        throw new AssertionError("no writer won version " + v + " of /cas, yet version " + last + " exists");
      }
    }
    ZnodeModel.Node n = f.model.nodes.get("/cas");
    n.version = last;
    n.data = winners.getOrDefault(last, "start").getBytes(UTF_8);
    f.getData(GetDataRequest.newBuilder().setPath("/cas").build(), f.member(), "conflict: CAS final read");
  }

  /** {@code threads} writers create the same {@code paths} names and sequential nodes under /race. */
  void racingCreates(int threads, int paths) throws Exception {
    f.create(CreateRequest.newBuilder().setPath("/race").build(), "conflict: setup");
    Map<String, Integer> wins = new ConcurrentHashMap<>();
    Set<String> sequential = ConcurrentHashMap.newKeySet();
    Map<String, CreateRequest> winningRequest = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        var stub = CoordGrpc.newBlockingStub(f.channels.get(t % f.channels.size()));
        done.add(pool.submit(() -> {
          for (int k = 0; k < paths; k++) {
            var s = stub.withDeadlineAfter(ApiFuzzer.DEADLINE_MS, TimeUnit.MILLISECONDS);
            CreateRequest req = CreateRequest.newBuilder().setPath("/race/k" + k).setRequestId(f.freshId()).build();
            f.counts.add("conflict: same-path create");
            try {
              s.create(req);
              wins.merge(req.getPath(), 1, Integer::sum);
              winningRequest.put(req.getPath(), req);
            } catch (StatusRuntimeException e) {
              ErrorCode code = Answers.check(e, Answers.Plain.NONE, "create " + req.getPath());
              if (code != ErrorCode.NODE_EXISTS) {
                throw new AssertionError("racing create failed with " + code, e);
              }
            }
            f.counts.add("conflict: sequential create");
            CreateRequest seq = CreateRequest.newBuilder().setPath("/race/seq-").setRequestId(f.freshId())
                .setMode(CreateMode.PERSISTENT_SEQUENTIAL).build();
            String name = s.create(seq).getPath();
            if (!sequential.add(name)) {
              throw new AssertionError("sequential name handed out twice: " + name);
            }
            winningRequest.put(name, seq);
          }
          return null;
        }));
      }
      for (Future<?> d : done) {
        d.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int k = 0; k < paths; k++) {
      if (wins.getOrDefault("/race/k" + k, 0) != 1) {
        throw new AssertionError("/race/k" + k + " was created " + wins.get("/race/k" + k) + " times");
      }
    }
    // feed the model in the order of the sequence numbers (the parent's cversion counts every create)
    Map<String, CreateRequest> sorted = new java.util.TreeMap<>(winningRequest);
    ZnodeModel.Node parent = f.model.nodes.get("/race");
    for (var e : sorted.entrySet()) {
      f.model.nodes.put(e.getKey(), new ZnodeModel.Node(new byte[0], 0));
      parent.children.add(ZnodeModel.nameOf(e.getKey()));
    }
    parent.cversion += sorted.size();
  }
}
