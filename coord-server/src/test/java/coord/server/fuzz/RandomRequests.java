package coord.server.fuzz;

import com.google.protobuf.ByteString;
import coord.api.v1.CloseSessionRequest;
import coord.api.v1.Consistency;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.DeleteAllRequest;
import coord.api.v1.DeleteRequest;
import coord.api.v1.ExistsRequest;
import coord.api.v1.GetChildrenRequest;
import coord.api.v1.GetDataRequest;
import coord.api.v1.KeepAliveResponse;
import coord.api.v1.SetDataRequest;
import coord.api.v1.SyncRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * The main fuzz loop: well-formed requests with random and malformed contents (paths, data sizes,
 * versions, sessions, request ids, unknown enum values and fields), one at a time to a random member,
 * each answer checked against the model.
 */
final class RandomRequests {
  private final ApiFuzzer f;
  private final Inputs in;
  /** Sessions kept alive by heartbeats for the whole run. */
  private final List<Long> live;
  /** Sessions the fuzzer closed: every write naming them must fail with SESSION_EXPIRED. */
  private final List<Long> closed = new ArrayList<>();
  private final WatchRequests watches;

  RandomRequests(ApiFuzzer f, List<Long> liveSessions) {
    this.f = f;
    this.in = f.in;
    this.live = new ArrayList<>(liveSessions);
    this.watches = new WatchRequests(f);
  }

  void run(int steps) throws InterruptedException {
    for (int i = 0; i < steps; i++) {
      if (i == steps / 2 && live.size() > 1) {
        long victim = live.remove(live.size() - 1);
        f.closeSession(CloseSessionRequest.newBuilder().setSessionId(victim).build(), "session: close live");
        closed.add(victim);
      }
      step();
    }
  }

  private void step() throws InterruptedException {
    int r = in.nextInt(100);
    long t0 = System.nanoTime();
    try {
      step(r);
    } finally {
      f.counts.addTime("random step " + (r < 30 ? "create" : r < 54 ? "other write" : r < 80 ? "read"
          : r < 86 ? "retry" : r < 90 ? "unknown fields" : r < 92 ? "keepAlive" : r < 94 ? "watch" : "session"),
          System.nanoTime() - t0);
    }
  }

  private void step(int r) throws InterruptedException {
    if (r < 30) {
      f.create(createRequest(), "write: create");
    } else if (r < 42) {
      SetDataRequest.Builder b = SetDataRequest.newBuilder().setPath(targetPath())
          .setData(in.data(f.maxDataBytes, true)).setSessionId(session());
      version(b.getPath(), v -> b.setExpectedVersion(v));
      f.setData(withIdChoice(b.build()), "write: setData");
    } else if (r < 52) {
      DeleteRequest.Builder b = DeleteRequest.newBuilder().setPath(targetPath()).setSessionId(session());
      version(b.getPath(), v -> b.setExpectedVersion(v));
      f.delete(withIdChoice(b.build()), "write: delete");
    } else if (r < 54) {
      f.deleteAll(DeleteAllRequest.newBuilder().setPath(targetPath()).setSessionId(session()).build(),
          "write: deleteAll");
    } else if (r < 63) {
      f.getData(GetDataRequest.newBuilder().setPath(targetPath()).setConsistencyValue(consistency()).build(),
          f.member(), "read: getData");
    } else if (r < 70) {
      f.exists(ExistsRequest.newBuilder().setPath(targetPath()).setConsistencyValue(consistency()).build(),
          f.member(), "read: exists");
    } else if (r < 77) {
      f.getChildren(GetChildrenRequest.newBuilder().setPath(targetPath()).setConsistencyValue(consistency())
          .build(), f.member(), "read: getChildren");
    } else if (r < 80) {
      f.sync(SyncRequest.newBuilder().setPath(in.chance(30) ? "" : targetPath()).build(), f.member(), "read: sync");
    } else if (r < 86) {
      f.retryAcknowledged("write: retry with the same request id");
    } else if (r < 90) {
      unknownFields();
    } else if (r < 92) {
      keepAlive();
    } else if (r < 94) {
      watches.once(targetPath(), in.brokenPath("/"));
    } else if (r < 97) {
      long s = in.chance(50) && !closed.isEmpty() ? in.pick(closed) : unknownSession();
      f.closeSession(CloseSessionRequest.newBuilder().setSessionId(s).build(), "session: close unknown/closed");
    } else {
      f.openSession(in.pick(List.of(-1L, 0L, 1L, 5_000L, Long.MAX_VALUE, Long.MIN_VALUE)), "session: open");
    }
  }

  private CreateRequest createRequest() {
    int m = in.nextInt(100);
    CreateRequest.Builder b = CreateRequest.newBuilder().setData(in.data(f.maxDataBytes, true));
    String parent = parentPath();
    if (m < 40) {
      b.setMode(CreateMode.PERSISTENT).setPath(in.chance(80) ? ZnodeModel.child(parent, in.name()) : targetOutsideContainers());
    } else if (m < 55) {
      // sequential: a prefix, or the bare parent with a trailing '/', or a name that looks sequential
      b.setMode(CreateMode.PERSISTENT_SEQUENTIAL)
          .setPath(in.chance(50) ? ZnodeModel.child(parent, "s-") : parent.equals("/") ? "/" : parent + "/");
    } else if (m < 75) {
      b.setMode(in.chance(50) ? CreateMode.EPHEMERAL : CreateMode.EPHEMERAL_SEQUENTIAL)
          .setPath(ZnodeModel.child(parent, in.name())).setSessionId(in.chance(80) && !live.isEmpty()
              ? in.pick(live) : session());
    } else if (m < 82) {
      // TTL nodes, with TTLs out of range or long enough never to be reaped during the run
      b.setMode(in.chance(50) ? CreateMode.PERSISTENT_WITH_TTL : CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL)
          .setPath(ZnodeModel.child(parent, in.name()))
          .setTtlMs(in.pick(List.of(0L, -1L, 3_600_000L, ZnodeModel.MAX_TTL_MS, ZnodeModel.MAX_TTL_MS + 1)));
    } else if (m < 86) {
      // a container is never given children here: the reaper would race the model
      b.setMode(CreateMode.CONTAINER).setPath(ZnodeModel.child("/", "c" + in.nextInt(5)));
    } else if (m < 92) {
      b.setModeValue(7 + in.nextInt(100)).setPath(ZnodeModel.child(parent, in.name()));
    } else {
      b.setMode(CreateMode.PERSISTENT).setPath(in.brokenPath(parent));
    }
    if (b.getSessionId() == 0 && in.chance(10)) {
      b.setSessionId(session());
    }
    return withIdChoice(b.build());
  }

  /** Mostly no session; else a live, closed or never-opened one. */
  private long session() {
    int r = in.nextInt(100);
    if (r < 70) {
      return 0;
    }
    if (r < 85 && !live.isEmpty()) {
      return in.pick(live);
    }
    if (r < 92 && !closed.isEmpty()) {
      return in.pick(closed);
    }
    return unknownSession();
  }

  private long unknownSession() {
    long s;
    do {
      s = in.pick(List.of(-1L, Long.MAX_VALUE, Long.MIN_VALUE, 1L, in.random.nextLong()));
    } while (f.model.sessions.containsKey(s));
    return s;
  }

  private int consistency() {
    int r = in.nextInt(100);
    return r < 75 ? Consistency.LINEARIZABLE_VALUE : r < 92 ? Consistency.STALE_VALUE : 2 + in.nextInt(50);
  }

  private interface IntSetter {
    void set(int v);
  }

  /** Sets an expected version half of the time: right, off by one, -1 or far off. */
  private void version(String path, IntSetter setter) {
    if (in.chance(50)) {
      ZnodeModel.Node n = f.model.nodes.get(path);
      setter.set(in.version(n == null ? 0 : n.version));
    }
  }

  @SuppressWarnings("unchecked")
  private <T extends com.google.protobuf.Message> T withIdChoice(T m) {
    if (!in.chance(5)) {
      return m; // the fuzzer adds a fresh id wherever the request could succeed
    }
    var field = m.getDescriptorForType().findFieldByName("request_id");
    return (T) m.toBuilder().setField(field, f.oversizedId()).build();
  }

  /** A node that exists (mostly), the root, a missing one, a broken path or a very long one. */
  String targetPath() {
    int r = in.nextInt(100);
    List<String> existing = new ArrayList<>(f.model.nodes.keySet());
    if (r < 55) {
      return in.pick(existing);
    }
    if (r < 65) {
      return ZnodeModel.child(in.pick(existing), in.name());
    }
    if (r < 72) {
      return "/missing-" + in.nextInt(3) + "/" + in.name();
    }
    if (r < 87) {
      return in.brokenPath(in.pick(existing));
    }
    if (r < 92) {
      return "/";
    }
    return ZnodeModel.child(in.pick(existing), "very-long-" + "y".repeat(1_000 + in.nextInt(30_000)));
  }

  /** As {@link #targetPath}, but never a child of a container (see {@link #createRequest}). */
  private String targetOutsideContainers() {
    for (int i = 0; ; i++) {
      String p = targetPath();
      if (i >= 10 || !ZnodeModel.validPath(p) || p.equals("/")) {
        return p.equals("/") || !ZnodeModel.validPath(p) ? p : "/";
      }
      ZnodeModel.Node parent = f.model.nodes.get(ZnodeModel.parentOf(p));
      if (parent == null || parent.owner != ZnodeModel.CONTAINER_OWNER) {
        return p;
      }
    }
  }

  /** An existing node that may take children (any but containers: see {@link #createRequest}). */
  private String parentPath() {
    List<String> candidates = new ArrayList<>();
    for (var e : f.model.nodes.entrySet()) {
      if (e.getValue().owner != ZnodeModel.CONTAINER_OWNER) {
        candidates.add(e.getKey());
      }
    }
    return in.pick(candidates);
  }

  /** Requests with fields this server does not know (a newer client's): they must simply be ignored. */
  private void unknownFields() {
    int field = 100 + in.nextInt(1000);
    long value = in.random.nextLong();
    switch (in.nextInt(3)) {
      case 0 -> f.create(ApiFuzzer.withUnknownField(CreateRequest.newBuilder()
          .setPath(ZnodeModel.child(parentPath(), in.name())).setData(ByteString.copyFromUtf8("u")).build(),
          field, value), "unknown field: create");
      case 1 -> f.getData(ApiFuzzer.withUnknownField(GetDataRequest.newBuilder().setPath(targetPath()).build(),
          field, value), f.member(), "unknown field: getData");
      default -> f.getChildren(ApiFuzzer.withUnknownField(GetChildrenRequest.newBuilder().setPath(targetPath())
          .build(), field, value), f.member(), "unknown field: getChildren");
    }
  }

  /** Heartbeats for live, closed and never-opened sessions, each on a fresh stream. */
  private void keepAlive() throws InterruptedException {
    int member = f.member();
    int r = in.nextInt(4);
    if (r == 0 && !live.isEmpty()) {
      long id = in.pick(live);
      KeepAliveResponse a = f.keepAliveOnce(member, id, "session: keepAlive live");
      check(!a.getExpired() && a.getTimeoutMs() > 0, "live session " + id + " answered " + a);
    } else if (r == 1 && !closed.isEmpty()) {
      long id = in.pick(closed);
      KeepAliveResponse a = f.keepAliveOnce(member, id, "session: keepAlive closed");
      check(a.getExpired(), "closed session " + id + " answered " + a);
    } else if (r == 2) {
      // an id at or below what the member applied that is no open session: gone
      long id = in.pick(List.of(-1L, Long.MIN_VALUE, 1L));
      KeepAliveResponse a = f.keepAliveOnce(member, id, "session: keepAlive unknown");
      check(a.getExpired(), "unknown session " + id + " answered " + a);
    } else {
      // an id no member has reached yet may be a session still on its way: not expired
      KeepAliveResponse a = f.keepAliveOnce(member, Long.MAX_VALUE, "session: keepAlive future");
      check(!a.getExpired(), "future session answered " + a);
    }
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
