package coord.server.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.UnknownFieldSet;
import coord.api.v1.CloseSessionRequest;
import coord.api.v1.Consistency;
import coord.api.v1.CoordGrpc;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.CreateResponse;
import coord.api.v1.DeleteAllRequest;
import coord.api.v1.DeleteAllResponse;
import coord.api.v1.DeleteRequest;
import coord.api.v1.ErrorCode;
import coord.api.v1.ExistsRequest;
import coord.api.v1.ExistsResponse;
import coord.api.v1.GetChildrenRequest;
import coord.api.v1.GetChildrenResponse;
import coord.api.v1.GetDataRequest;
import coord.api.v1.GetDataResponse;
import coord.api.v1.KeepAliveRequest;
import coord.api.v1.KeepAliveResponse;
import coord.api.v1.OpenSessionRequest;
import coord.api.v1.OpenSessionResponse;
import coord.api.v1.RequestId;
import coord.api.v1.ResponseHeader;
import coord.api.v1.SetDataRequest;
import coord.api.v1.SetDataResponse;
import coord.api.v1.Stat;
import coord.api.v1.SyncRequest;
import coord.server.TestCluster;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends requests to the members of a running cluster, one at a time, and checks each answer against a
 * {@link ZnodeModel}: the exact error the model predicts, or success with the predicted path, versions
 * and data. Every failure must also pass {@link Answers#check}. Writes carry request ids, so a write whose
 * answer was UNAVAILABLE or TIMEOUT is retried (through another member) until its outcome is known.
 */
class ApiFuzzer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiFuzzer.class);
  static final long DEADLINE_MS = 60_000;
  /** Bounded retries of a write whose outcome is unknown (UNAVAILABLE/TIMEOUT). */
  private static final int MAX_ATTEMPTS = 20;

  final TestCluster cluster;
  final Inputs in;
  final ZnodeModel model;
  final FuzzCounts counts = new FuzzCounts();
  final int maxDataBytes;
  final int maxInboundBytes;
  final List<ManagedChannel> channels = new ArrayList<>();
  private final ByteString clientId;
  private final AtomicLong callIds = new AtomicLong();
  /** Highest zxid of any acknowledged write: a linearizable read must report at least this one. */
  long lastWriteZxid;

  ApiFuzzer(TestCluster cluster, long seed, int maxDataBytes, int maxInboundBytes, long minSessionMs,
      long maxSessionMs) {
    this.cluster = cluster;
    this.in = new Inputs(seed);
    this.maxDataBytes = maxDataBytes;
    this.maxInboundBytes = maxInboundBytes;
    this.model = new ZnodeModel(maxDataBytes, minSessionMs, maxSessionMs);
    byte[] id = new byte[16];
    in.random.nextBytes(id);
    this.clientId = ByteString.copyFrom(id);
    for (int id1 : cluster.runningIds()) {
      channels.add(NettyChannelBuilder.forTarget(cluster.clientEndpoint(id1)).usePlaintext()
          .maxInboundMessageSize(64 * 1024 * 1024).build());
    }
  }

  int member() {
    return in.nextInt(channels.size());
  }

  RequestId freshId() {
    return RequestId.newBuilder().setClientId(clientId).setCallId(callIds.incrementAndGet()).build();
  }

  /** An id the server refuses: longer than the 64 bytes it allows. */
  RequestId oversizedId() {
    byte[] b = new byte[65 + in.nextInt(64)];
    in.random.nextBytes(b);
    return RequestId.newBuilder().setClientId(ByteString.copyFrom(b)).setCallId(1).build();
  }

  /** What one call answered: a response, or the coord code of its (acceptable) failure. */
  record Result<R>(R response, ErrorCode error, boolean plain) {
    boolean ok() {
      return response != null;
    }
  }

  /**
   * One unary call, its failure checked by {@link Answers#check}. UNAVAILABLE and TIMEOUT are retried
   * (through the next member) when {@code retrySafe}: a read, or a write with a request id.
   */
  <Q extends Message, R> Result<R> call(MethodDescriptor<Q, R> method, Q req, int member, boolean retrySafe,
      String what) {
    Answers.Plain plain = req.getSerializedSize() > maxInboundBytes ? Answers.Plain.OVERSIZED : Answers.Plain.NONE;
    for (int attempt = 1; ; attempt++) {
      try {
        R resp = ClientCalls.blockingUnaryCall(channels.get(member), method,
            CallOptions.DEFAULT.withDeadlineAfter(DEADLINE_MS, TimeUnit.MILLISECONDS), req);
        if (plain == Answers.Plain.OVERSIZED) {
          throw new AssertionError(what + ": a request of " + req.getSerializedSize() + " bytes was accepted");
        }
        return new Result<>(resp, null, false);
      } catch (StatusRuntimeException e) {
        ErrorCode code = Answers.check(e, plain, what);
        boolean unknownOutcome = code == ErrorCode.UNAVAILABLE || code == ErrorCode.TIMEOUT;
        if (unknownOutcome && retrySafe && attempt < MAX_ATTEMPTS) {
          counts.add("retried after " + code);
          LOG.info("{}: {} on attempt {}, retrying", what, code, attempt);
          member = (member + 1) % channels.size();
          sleepQuietly(100L * attempt);
          continue;
        }
        return new Result<>(null, code, code == null);
      }
    }
  }

  static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms); // back-off between retries of an unknown outcome, not synchronisation
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static String show(Message m) {
    String s = m.toString().replace('\n', ' ');
    return m.getClass().getSimpleName() + "{" + (s.length() > 300 ? s.substring(0, 300) + "..." : s) + "}";
  }

  private static void expect(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  private void expectOutcome(ZnodeModel.Expected exp, Result<?> r, String what) {
    if (r.plain()) {
      return; // refused by gRPC's size limit before coord saw it (Answers.check allowed it): nothing changed
    }
    expect(Objects.equals(exp.error(), r.error()),
        what + ": expected " + (exp.succeeds() ? "success" : exp.error()) + " but got "
            + (r.ok() ? "success" : r.error()));
  }

  private void checkWriteHeader(ResponseHeader h, String what) {
    expect(h.getZxid() > lastWriteZxid, what + ": write zxid " + h.getZxid() + " not above " + lastWriteZxid);
    lastWriteZxid = h.getZxid();
  }

  private void checkReadHeader(ResponseHeader h, Consistency c, String what) {
    if (c == Consistency.LINEARIZABLE) {
      expect(h.getZxid() >= lastWriteZxid,
          what + ": linearizable read at zxid " + h.getZxid() + " misses write " + lastWriteZxid);
    }
  }

  @SuppressWarnings("unchecked")
  static <T extends Message> T roundTrip(T m) {
    try {
      return (T) m.getParserForType().parseFrom(m.toByteArray());
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("a message that does not parse back: " + m, e);
    }
  }

  /** A request id unless the request is one the model says fails: a success must not be ambiguous. */
  private boolean wantsId(ZnodeModel.Expected exp, boolean hasId) {
    return exp.succeeds() && !hasId;
  }

  // ------------------------------------------------------------------ writes

  void create(CreateRequest req, String category) {
    req = roundTrip(req);
    ZnodeModel.Expected exp = model.create(req);
    if (wantsId(exp, req.hasRequestId())) {
      req = req.toBuilder().setRequestId(freshId()).build();
    }
    String what = category + " " + show(req);
    Result<CreateResponse> r = call(CoordGrpc.getCreateMethod(), req, member(), req.hasRequestId(), what);
    counts.add(category);
    expectOutcome(exp, r, what);
    if (r.ok()) {
      CreateResponse resp = r.response();
      expect(resp.getPath().equals(exp.path()), what + ": created " + resp.getPath() + ", expected " + exp.path());
      Stat s = resp.getStat();
      expect(s.getVersion() == 0 && s.getCversion() == 0 && s.getNumChildren() == 0
          && s.getDataLength() == req.getData().size() && s.getCzxid() == resp.getHeader().getZxid(),
          what + ": bad stat " + s);
      checkWriteHeader(resp.getHeader(), what);
      model.created(req, resp.getPath());
      expect(s.getEphemeralOwner() == model.nodes.get(resp.getPath()).owner,
          what + ": owner " + s.getEphemeralOwner());
      rememberForRetry(CoordGrpc.getCreateMethod(), req, resp);
    }
  }

  void setData(SetDataRequest req, String category) {
    req = roundTrip(req);
    ZnodeModel.Expected exp = model.setData(req);
    if (wantsId(exp, req.hasRequestId())) {
      req = req.toBuilder().setRequestId(freshId()).build();
    }
    String what = category + " " + show(req);
    Result<SetDataResponse> r = call(CoordGrpc.getSetDataMethod(), req, member(), req.hasRequestId(), what);
    counts.add(category);
    expectOutcome(exp, r, what);
    if (r.ok()) {
      int before = model.nodes.get(req.getPath()).version;
      Stat s = r.response().getStat();
      expect(s.getVersion() == before + 1 && s.getDataLength() == req.getData().size(), what + ": bad stat " + s);
      checkWriteHeader(r.response().getHeader(), what);
      model.dataSet(req);
      rememberForRetry(CoordGrpc.getSetDataMethod(), req, r.response());
    }
  }

  void delete(DeleteRequest req, String category) {
    req = roundTrip(req);
    ZnodeModel.Expected exp = model.delete(req);
    if (wantsId(exp, req.hasRequestId())) {
      req = req.toBuilder().setRequestId(freshId()).build();
    }
    String what = category + " " + show(req);
    var r = call(CoordGrpc.getDeleteMethod(), req, member(), req.hasRequestId(), what);
    counts.add(category);
    expectOutcome(exp, r, what);
    if (r.ok()) {
      checkWriteHeader(r.response().getHeader(), what);
      model.removeSubtree(req.getPath());
      rememberForRetry(CoordGrpc.getDeleteMethod(), req, r.response());
    }
  }

  void deleteAll(DeleteAllRequest req, String category) {
    req = roundTrip(req);
    ZnodeModel.Expected exp = model.deleteAll(req);
    if (wantsId(exp, req.hasRequestId())) {
      req = req.toBuilder().setRequestId(freshId()).build();
    }
    String what = category + " " + show(req);
    Result<DeleteAllResponse> r = call(CoordGrpc.getDeleteAllMethod(), req, member(), req.hasRequestId(), what);
    counts.add(category);
    expectOutcome(exp, r, what);
    if (r.ok()) {
      checkWriteHeader(r.response().getHeader(), what);
      int removed = model.removeSubtree(req.getPath());
      expect(r.response().getDeleted() == removed, what + ": deleted " + r.response().getDeleted()
          + " nodes, the model had " + removed);
      rememberForRetry(CoordGrpc.getDeleteAllMethod(), req, r.response());
    }
  }

  /** Opens a session that the fuzzer will keep alive (or let expire) itself. */
  OpenSessionResponse openSession(long timeoutMs, String category) {
    OpenSessionRequest req = OpenSessionRequest.newBuilder().setTimeoutMs(timeoutMs).setRequestId(freshId()).build();
    String what = category + " " + show(req);
    Result<OpenSessionResponse> r = call(CoordGrpc.getOpenSessionMethod(), req, member(), true, what);
    counts.add(category);
    if (timeoutMs <= 0) {
      expect(r.error() == ErrorCode.INVALID_ARGUMENT, what + ": expected INVALID_ARGUMENT, got " + r);
      return null;
    }
    expect(r.ok(), what + ": failed with " + r.error());
    expect(r.response().getTimeoutMs() == model.negotiatedTimeout(timeoutMs),
        what + ": negotiated " + r.response().getTimeoutMs());
    checkWriteHeader(r.response().getHeader(), what);
    return r.response();
  }

  void closeSession(CloseSessionRequest req, String category) {
    req = roundTrip(req);
    ZnodeModel.Expected exp = model.closeSession(req);
    if (wantsId(exp, req.hasRequestId())) {
      req = req.toBuilder().setRequestId(freshId()).build();
    }
    String what = category + " " + show(req);
    var r = call(CoordGrpc.getCloseSessionMethod(), req, member(), req.hasRequestId(), what);
    counts.add(category);
    expectOutcome(exp, r, what);
    if (r.ok()) {
      checkWriteHeader(r.response().getHeader(), what);
      model.sessionEnded(req.getSessionId());
    }
  }

  // ------------------------------------------------------------------ retries of acknowledged writes

  private record Acked(MethodDescriptor<Message, Message> method, Message request, Message response) {}

  private final List<Acked> acked = new ArrayList<>();

  @SuppressWarnings("unchecked")
  private <Q extends Message, R extends Message> void rememberForRetry(MethodDescriptor<Q, R> m, Q req, R resp) {
    if (acked.size() >= 200) {
      acked.remove(in.nextInt(acked.size()));
    }
    acked.add(new Acked((MethodDescriptor<Message, Message>) (MethodDescriptor<?, ?>) m, req, resp));
  }

  /** Sends an acknowledged write again, with its request id: the first answer comes back, nothing changes. */
  void retryAcknowledged(String category) {
    if (acked.isEmpty()) {
      return;
    }
    Acked a = in.pick(acked);
    String what = category + " " + show(a.request());
    Result<Message> r = call(a.method(), a.request(), member(), true, what);
    counts.add(category);
    expect(r.ok(), what + ": a retry failed with " + r.error());
    Message strip = a.response().toBuilder().clearField(
        a.response().getDescriptorForType().findFieldByName("header")).build();
    Message got = r.response().toBuilder().clearField(
        r.response().getDescriptorForType().findFieldByName("header")).build();
    expect(strip.equals(got), what + ": retry answered " + show(got) + ", first answer " + show(strip));
  }

  // ------------------------------------------------------------------ reads

  void getData(GetDataRequest req, int member, String category) {
    req = roundTrip(req);
    String what = category + " " + show(req);
    Result<GetDataResponse> r = call(CoordGrpc.getGetDataMethod(), req, member, true, what);
    counts.add(category);
    ErrorCode exp = readError(req.getConsistency(), req.getPath());
    ZnodeModel.Node n = exp == null ? model.nodes.get(req.getPath()) : null;
    expectRead(req.getConsistency(), exp != null ? exp : n == null ? ErrorCode.NO_NODE : null, r, what);
    if (r.ok()) {
      checkReadHeader(r.response().getHeader(), req.getConsistency(), what);
      if (req.getConsistency() == Consistency.LINEARIZABLE) {
        expect(r.response().getData().equals(ByteString.copyFrom(n.data)), what + ": wrong data");
        checkStat(r.response().getStat(), n, what);
      }
    }
  }

  void exists(ExistsRequest req, int member, String category) {
    req = roundTrip(req);
    String what = category + " " + show(req);
    Result<ExistsResponse> r = call(CoordGrpc.getExistsMethod(), req, member, true, what);
    counts.add(category);
    expectRead(req.getConsistency(), readError(req.getConsistency(), req.getPath()), r, what);
    if (r.ok() && req.getConsistency() == Consistency.LINEARIZABLE) {
      checkReadHeader(r.response().getHeader(), req.getConsistency(), what);
      ZnodeModel.Node n = model.nodes.get(req.getPath());
      expect(r.response().getExists() == (n != null), what + ": exists=" + r.response().getExists());
      if (n != null) {
        checkStat(r.response().getStat(), n, what);
      }
    }
  }

  void getChildren(GetChildrenRequest req, int member, String category) {
    req = roundTrip(req);
    String what = category + " " + show(req);
    Result<GetChildrenResponse> r = call(CoordGrpc.getGetChildrenMethod(), req, member, true, what);
    counts.add(category);
    ErrorCode exp = readError(req.getConsistency(), req.getPath());
    ZnodeModel.Node n = exp == null ? model.nodes.get(req.getPath()) : null;
    expectRead(req.getConsistency(), exp != null ? exp : n == null ? ErrorCode.NO_NODE : null, r, what);
    if (r.ok() && req.getConsistency() == Consistency.LINEARIZABLE) {
      checkReadHeader(r.response().getHeader(), req.getConsistency(), what);
      expect(r.response().getChildrenList().equals(new ArrayList<>(n.children)),
          what + ": children " + abbreviate(r.response().getChildrenList()) + ", model " + abbreviate(n.children));
      checkStat(r.response().getStat(), n, what);
    }
  }

  void sync(SyncRequest req, int member, String category) {
    req = roundTrip(req);
    String what = category + " " + show(req);
    var r = call(CoordGrpc.getSyncMethod(), req, member, true, what);
    counts.add(category);
    boolean valid = req.getPath().isEmpty() || ZnodeModel.validPath(req.getPath());
    expectOutcome(new ZnodeModel.Expected(valid ? null : ErrorCode.INVALID_PATH, null), r, what);
    if (r.ok()) {
      expect(r.response().getHeader().getZxid() >= lastWriteZxid, what + ": sync behind the last write");
    }
  }

  /** One heartbeat on a new KeepAlive stream of {@code member}, after a Sync so the member is caught up. */
  KeepAliveResponse keepAliveOnce(int member, long sessionId, String category) throws InterruptedException {
    sync(SyncRequest.getDefaultInstance(), member, "sync");
    var result = RawGrpc.stream(channels.get(member), RawGrpc.raw(CoordGrpc.getKeepAliveMethod()),
        List.of(KeepAliveRequest.newBuilder().setSessionId(sessionId).build().toByteArray()), 30_000);
    counts.add(category);
    String what = category + " session " + sessionId + " on member " + member;
    expect(result.ended(), what + ": the stream did not end after the client half-closed");
    if (result.error() != null) {
      Answers.check(result.error(), Answers.Plain.NONE, what);
    }
    expect(result.messages().size() == 1, what + ": " + result.messages().size() + " answers");
    try {
      return KeepAliveResponse.parseFrom(result.messages().get(0));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(what + ": unparseable answer", e);
    }
  }

  /**
   * A linearizable read must answer exactly as the model says; a stale one may lag, so it may also miss
   * a node the model has (or find one the model no longer has), but never fail otherwise.
   */
  private void expectRead(Consistency c, ErrorCode exp, Result<?> r, String what) {
    if (c == Consistency.STALE && (exp == null || exp == ErrorCode.NO_NODE)) {
      expect(r.ok() || r.error() == ErrorCode.NO_NODE, what + ": stale read failed with " + r.error());
      return;
    }
    expectOutcome(new ZnodeModel.Expected(exp, null), r, what);
  }

  /** The error a read must fail with before the tree is consulted, or null. */
  private static ErrorCode readError(Consistency c, String path) {
    if (c == Consistency.UNRECOGNIZED) {
      return ErrorCode.INVALID_ARGUMENT;
    }
    return ZnodeModel.validPath(path) ? null : ErrorCode.INVALID_PATH;
  }

  private static void checkStat(Stat s, ZnodeModel.Node n, String what) {
    expect(s.getVersion() == n.version && s.getCversion() == n.cversion && s.getNumChildren() == n.children.size()
        && s.getDataLength() == n.data.length && s.getEphemeralOwner() == n.owner,
        what + ": stat " + s.toString().replace('\n', ' ') + " but the model has version " + n.version
            + ", cversion " + n.cversion + ", " + n.children.size() + " children, " + n.data.length
            + " bytes, owner " + n.owner);
  }

  static String abbreviate(java.util.Collection<String> names) {
    String s = names.toString();
    return s.length() > 300 ? s.substring(0, 300) + "...(" + names.size() + ")" : s;
  }

  /** A copy of {@code m} with an unknown field: a newer client's request, which must be ignored. */
  static <T extends Message> T withUnknownField(T m, int number, long value) {
    @SuppressWarnings("unchecked")
    T t = (T) m.toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
        .addField(number, UnknownFieldSet.Field.newBuilder().addVarint(value).build()).build()).build();
    return t;
  }

  static String utf8Head(String s) {
    byte[] b = s.getBytes(UTF_8);
    return b.length <= 40 ? s : new String(b, 0, 40, UTF_8) + "...";
  }

  @Override
  public void close() {
    for (ManagedChannel ch : channels) {
      ch.shutdownNow();
    }
  }
}
