package coord.server.fuzz;

import coord.api.v1.AddWatch;
import coord.api.v1.CoordGrpc;
import coord.api.v1.ErrorCode;
import coord.api.v1.RemoveWatch;
import coord.api.v1.WatchMode;
import coord.api.v1.WatchRequest;
import coord.api.v1.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watch streams with random requests: valid and broken paths, every mode and unknown ones, after_zxid
 * absent, current, negative or far ahead, removals of watches that do not exist. Every add gets an
 * answer (added, compacted, fired, or removed with the right error) and the stream itself never fails.
 */
final class WatchRequests {
  private final ApiFuzzer f;
  private final Inputs in;
  private long nextWatchId = 1;

  WatchRequests(ApiFuzzer f) {
    this.f = f;
    this.in = f.in;
  }

  private record Sent(long id, boolean badPath, boolean badMode) {}

  void once(String targetPath, String brokenPath) throws InterruptedException {
    ConcurrentLinkedQueue<WatchResponse> got = new ConcurrentLinkedQueue<>();
    Throwable[] failed = {null};
    CountDownLatch ended = new CountDownLatch(1);
    StreamObserver<WatchRequest> requests = CoordGrpc.newStub(f.channels.get(f.member())).watch(new StreamObserver<>() {
      @Override
      public void onNext(WatchResponse value) {
        got.add(value);
      }

      @Override
      public void onError(Throwable t) {
        failed[0] = t;
        ended.countDown();
      }

      @Override
      public void onCompleted() {
        ended.countDown();
      }
    });
    List<Sent> sent = new ArrayList<>();
    int n = 1 + in.nextInt(3);
    for (int i = 0; i < n; i++) {
      long id = nextWatchId++;
      boolean badPath = in.chance(30);
      boolean badMode = in.chance(15);
      String path = badPath ? brokenPath : targetPath;
      AddWatch.Builder a = AddWatch.newBuilder().setWatchId(id).setPath(path);
      if (badMode) {
        a.setModeValue(4 + in.nextInt(100));
      } else {
        a.setMode(in.pick(List.of(WatchMode.WATCH_DATA, WatchMode.WATCH_CHILDREN, WatchMode.WATCH_PERSISTENT,
            WatchMode.WATCH_PERSISTENT_RECURSIVE)));
      }
      switch (in.nextInt(5)) {
        case 0 -> a.setAfterZxid(f.lastWriteZxid);
        case 1 -> a.setAfterZxid(-1 - in.nextInt(1000));
        case 2 -> a.setAfterZxid(Long.MAX_VALUE);
        default -> { } // from now on
      }
      sent.add(new Sent(id, !ZnodeModel.validPath(path), badMode));
      requests.onNext(WatchRequest.newBuilder().setAdd(a).build());
      f.counts.add("watch: add");
    }
    long unknown = 1_000_000 + in.nextInt(1000);
    requests.onNext(WatchRequest.newBuilder().setRemove(RemoveWatch.newBuilder().setWatchId(unknown)).build());
    requests.onNext(WatchRequest.getDefaultInstance()); // neither add nor remove: ignored
    f.counts.add("watch: remove unknown");
    f.counts.add("watch: empty request");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!answeredAll(got, sent, unknown) && System.nanoTime() < deadline && failed[0] == null) {
      ApiFuzzer.sleepQuietly(10);
    }
    requests.onCompleted();
    if (!ended.await(30, TimeUnit.SECONDS)) {
      throw new AssertionError("watch stream did not end after the client half-closed");
    }
    if (failed[0] != null) {
      Answers.check(failed[0], Answers.Plain.NONE, "watch stream");
      throw new AssertionError("watch stream failed: " + Answers.describe(failed[0]));
    }
    check(answeredAll(got, sent, unknown), "not every watch request was answered: " + got + " for " + sent);
    for (Sent s : sent) {
      WatchResponse first = got.stream().filter(r -> r.getWatchId() == s.id()).findFirst().orElseThrow();
      ErrorCode expected = s.badPath() ? ErrorCode.INVALID_PATH : s.badMode() ? ErrorCode.INVALID_ARGUMENT : null;
      if (expected != null) {
        check(first.getRemoved() && first.getError() == expected, "watch " + s + " answered " + first);
      } else {
        check(first.getAdded() || first.getCompacted() || first.getEventsCount() > 0,
            "watch " + s + " answered " + first);
      }
    }
  }

  private static boolean answeredAll(ConcurrentLinkedQueue<WatchResponse> got, List<Sent> sent, long unknown) {
    return sent.stream().allMatch(s -> got.stream().anyMatch(r -> r.getWatchId() == s.id()))
        && got.stream().anyMatch(r -> r.getWatchId() == unknown && r.getRemoved());
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
