package coord.server.fuzz;

import com.google.protobuf.ByteString;
import coord.api.v1.CoordGrpc;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.CreateResponse;
import coord.api.v1.DeleteAllRequest;
import coord.api.v1.GetChildrenRequest;
import coord.api.v1.GetDataRequest;
import coord.api.v1.ExistsRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import com.google.common.util.concurrent.ListenableFuture;

/**
 * Extreme tree shapes: a chain hundreds of levels deep with long names (reads and errors at the bottom),
 * a node with thousands of children (getChildren still answers, every member agrees), paths close to the
 * inbound message limit, and deleteall over both.
 */
final class TreeShapes {
  private final ApiFuzzer f;

  TreeShapes(ApiFuzzer f) {
    this.f = f;
  }

  /** A chain {@code depth} levels deep whose names are {@code nameLength} long. */
  void deep(int depth, int nameLength) {
    f.create(CreateRequest.newBuilder().setPath("/deep").build(), "shape: deep");
    String path = "/deep";
    for (int level = 0; level < depth; level++) {
      path = path + "/" + (char) ('a' + level % 26) + "d".repeat(nameLength - 1);
      f.create(CreateRequest.newBuilder().setPath(path).setData(ByteString.copyFromUtf8("level " + level)).build(),
          "shape: deep");
    }
    String bottom = path;
    for (int m = 0; m < f.channels.size(); m++) {
      f.getData(GetDataRequest.newBuilder().setPath(bottom).build(), m, "shape: deep read");
      f.getChildren(GetChildrenRequest.newBuilder().setPath(bottom).build(), m, "shape: deep read");
      // errors naming a long path still travel as typed errors
      f.getData(GetDataRequest.newBuilder().setPath(bottom + "/missing").build(), m, "shape: deep read");
      f.exists(ExistsRequest.newBuilder().setPath(bottom + "/bad\u0001").build(), m, "shape: deep read");
    }
    f.create(CreateRequest.newBuilder().setPath(bottom + "/x/y").build(), "shape: deep");
    f.create(CreateRequest.newBuilder().setPath(bottom + "/").setMode(CreateMode.PERSISTENT_SEQUENTIAL).build(),
        "shape: deep");
  }

  /** Deletes the deep chain in one operation. */
  void deleteDeep() {
    f.deleteAll(DeleteAllRequest.newBuilder().setPath("/deep").build(), "shape: deep deleteAll");
  }

  /**
   * {@code width} children under one node, created concurrently (the server batches them), then listed
   * on every member. The model learns each create from its answer.
   */
  void wide(int width) throws Exception {
    f.create(CreateRequest.newBuilder().setPath("/wide").build(), "shape: wide");
    var stubs = new ArrayList<CoordGrpc.CoordFutureStub>();
    f.channels.forEach(ch -> stubs.add(CoordGrpc.newFutureStub(ch)
        .withDeadlineAfter(ApiFuzzer.DEADLINE_MS * 2, TimeUnit.MILLISECONDS)));
    List<CreateRequest> requests = new ArrayList<>();
    List<ListenableFuture<CreateResponse>> pending = new ArrayList<>();
    int inFlight = 64;
    for (int i = 0; i < width; i++) {
      CreateRequest req = CreateRequest.newBuilder().setPath("/wide/w" + f.in.nextInt(1_000_000_000) + "-" + i)
          .setData(ByteString.copyFromUtf8(Integer.toString(i))).setRequestId(f.freshId()).build();
      requests.add(req);
      pending.add(stubs.get(i % stubs.size()).create(req));
      if (pending.size() >= inFlight) {
        settle(requests, pending);
      }
    }
    settle(requests, pending);
    for (int m = 0; m < f.channels.size(); m++) {
      f.getChildren(GetChildrenRequest.newBuilder().setPath("/wide").build(), m, "shape: wide getChildren");
    }
  }

  /** Waits for the pending creates; a failed one is sent again through the checked path (same id). */
  private void settle(List<CreateRequest> requests, List<ListenableFuture<CreateResponse>> pending)
      throws InterruptedException {
    for (int i = 0; i < pending.size(); i++) {
      CreateRequest req = requests.get(i);
      try {
        CreateResponse r = pending.get(i).get();
        f.counts.add("shape: wide create");
        if (!r.getPath().equals(req.getPath())) {
          throw new AssertionError("wide create " + req.getPath() + " created " + r.getPath());
        }
        f.model.created(req, r.getPath());
        f.lastWriteZxid = Math.max(f.lastWriteZxid, r.getHeader().getZxid());
      } catch (java.util.concurrent.ExecutionException e) {
        Answers.check(e.getCause(), Answers.Plain.NONE, "wide create " + req.getPath());
        f.create(req, "shape: wide create (retried)"); // same request id: applied at most once
      }
    }
    requests.clear();
    pending.clear();
  }

  /**
   * Children whose names are each close to the inbound limit, so that the child list is larger than any
   * Raft message (32 MB): linearizable getChildren must still answer on every member.
   */
  void wideLongNames(int count) {
    f.create(CreateRequest.newBuilder().setPath("/widelong").build(), "shape: wide long names");
    String name = "l".repeat(f.maxDataBytes - 100);
    for (int i = 0; i < count; i++) {
      f.create(CreateRequest.newBuilder().setPath("/widelong/" + i + "-" + name).build(), "shape: wide long names");
    }
    for (int m = 0; m < f.channels.size(); m++) {
      f.getChildren(GetChildrenRequest.newBuilder().setPath("/widelong").build(), m, "shape: wide long names");
    }
    f.deleteAll(DeleteAllRequest.newBuilder().setPath("/widelong").build(), "shape: wide long names");
  }

  void deleteWide() {
    f.deleteAll(DeleteAllRequest.newBuilder().setPath("/wide").build(), "shape: wide deleteAll");
  }

  /** Paths whose length approaches the inbound message limit: accepted up to it, refused beyond. */
  void longPaths() {
    f.create(CreateRequest.newBuilder().setPath("/long").build(), "shape: long path");
    for (int len : new int[] {10_000, 100_000, f.maxDataBytes / 2, f.maxInboundBytes - 1_000,
        f.maxInboundBytes + 10}) {
      String path = "/long/" + "p".repeat(len);
      f.create(CreateRequest.newBuilder().setPath(path).build(), "shape: long path");
      f.exists(ExistsRequest.newBuilder().setPath(path).build(), f.member(), "shape: long path");
      f.getData(GetDataRequest.newBuilder().setPath(path + "/nothing-here").build(), f.member(), "shape: long path");
      f.create(CreateRequest.newBuilder().setPath(path + "\u0000").build(), "shape: long path");
    }
    f.getChildren(GetChildrenRequest.newBuilder().setPath("/long").build(), f.member(), "shape: long path");
  }
}
