package coord.server.fuzz;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import coord.api.v1.AdminGrpc;
import coord.api.v1.CloseSessionRequest;
import coord.api.v1.CoordGrpc;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.DeleteAllRequest;
import coord.api.v1.DeleteRequest;
import coord.api.v1.ExistsRequest;
import coord.api.v1.GetChildrenRequest;
import coord.api.v1.GetDataRequest;
import coord.api.v1.KeepAliveRequest;
import coord.api.v1.OpenSessionRequest;
import coord.api.v1.SetDataRequest;
import coord.api.v1.StatusRequest;
import coord.api.v1.SyncRequest;
import coord.api.v1.TouchSessionsRequest;
import coord.api.v1.WatchRequest;
import coord.api.v1.AddWatch;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Bytes that are not (or not quite) protobuf, sent through a raw byte[] call to every method of the Coord
 * and Admin services, the streaming ones included: random bytes, truncated and bit-flipped valid requests,
 * frames above the inbound size limit, and methods that do not exist. A frame that happens to decode is a
 * valid request and goes through the model like any other; one that does not must get a typed error.
 */
final class MalformedFrames {
  private static final Map<String, Parser<? extends Message>> PARSERS = Map.ofEntries(
      Map.entry(CoordGrpc.getCreateMethod().getFullMethodName(), CreateRequest.parser()),
      Map.entry(CoordGrpc.getGetDataMethod().getFullMethodName(), GetDataRequest.parser()),
      Map.entry(CoordGrpc.getSetDataMethod().getFullMethodName(), SetDataRequest.parser()),
      Map.entry(CoordGrpc.getDeleteMethod().getFullMethodName(), DeleteRequest.parser()),
      Map.entry(CoordGrpc.getDeleteAllMethod().getFullMethodName(), DeleteAllRequest.parser()),
      Map.entry(CoordGrpc.getExistsMethod().getFullMethodName(), ExistsRequest.parser()),
      Map.entry(CoordGrpc.getGetChildrenMethod().getFullMethodName(), GetChildrenRequest.parser()),
      Map.entry(CoordGrpc.getSyncMethod().getFullMethodName(), SyncRequest.parser()),
      Map.entry(CoordGrpc.getOpenSessionMethod().getFullMethodName(), OpenSessionRequest.parser()),
      Map.entry(CoordGrpc.getCloseSessionMethod().getFullMethodName(), CloseSessionRequest.parser()),
      Map.entry(CoordGrpc.getKeepAliveMethod().getFullMethodName(), KeepAliveRequest.parser()),
      Map.entry(CoordGrpc.getWatchMethod().getFullMethodName(), WatchRequest.parser()),
      Map.entry(AdminGrpc.getStatusMethod().getFullMethodName(), StatusRequest.parser()),
      Map.entry(AdminGrpc.getTouchSessionsMethod().getFullMethodName(), TouchSessionsRequest.parser()));

  private final ApiFuzzer f;
  private final Inputs in;

  MalformedFrames(ApiFuzzer f) {
    this.f = f;
    this.in = f.in;
  }

  void run(int perMethod) throws InterruptedException {
    for (MethodDescriptor<?, ?> m : RawGrpc.allMethods()) {
      Parser<? extends Message> parser = PARSERS.get(m.getFullMethodName());
      if (parser == null) {
        throw new AssertionError("no parser for " + m.getFullMethodName() + ": add the new method here");
      }
      byte[] sample = sample(m.getFullMethodName());
      for (int i = 0; i < perMethod; i++) {
        byte[] frame = garbage(sample);
        if (m.getType() == MethodDescriptor.MethodType.UNARY) {
          unary(m, parser, frame);
        } else {
          List<byte[]> frames = new ArrayList<>();
          int n = 1 + in.nextInt(3);
          for (int k = 0; k < n; k++) {
            frames.add(k == n - 1 ? frame : garbage(sample));
          }
          stream(m, parser, frames, "garbage: " + m.getBareMethodName() + " stream");
        }
      }
      oversized(m);
    }
    unknownMethods();
  }

  /** A valid request of each method, for truncation and bit flips. */
  private byte[] sample(String method) {
    Message m = switch (method.substring(method.indexOf('/') + 1)) {
      case "Create" -> CreateRequest.newBuilder().setPath("/garbage-sample/child").setData(
          com.google.protobuf.ByteString.copyFromUtf8("data")).setMode(CreateMode.PERSISTENT_SEQUENTIAL)
          .setSessionId(12345).setRequestId(f.freshId()).build();
      case "GetData", "Exists", "GetChildren" -> GetDataRequest.newBuilder().setPath("/").setConsistencyValue(1).build();
      case "SetData" -> SetDataRequest.newBuilder().setPath("/garbage-sample").setExpectedVersion(3).build();
      case "Delete" -> DeleteRequest.newBuilder().setPath("/garbage-sample").setExpectedVersion(1).build();
      case "DeleteAll" -> DeleteAllRequest.newBuilder().setPath("/garbage-sample").build();
      case "Sync" -> SyncRequest.newBuilder().setPath("/").build();
      case "OpenSession" -> OpenSessionRequest.newBuilder().setTimeoutMs(4000).build();
      case "CloseSession" -> CloseSessionRequest.newBuilder().setSessionId(777).build();
      case "KeepAlive" -> KeepAliveRequest.newBuilder().setSessionId(777).build();
      case "Watch" -> WatchRequest.newBuilder().setAdd(AddWatch.newBuilder().setWatchId(9).setPath("/")).build();
      case "TouchSessions" -> TouchSessionsRequest.newBuilder().addSessionIds(777).addSessionIds(778).build();
      default -> StatusRequest.getDefaultInstance();
    };
    return m.toByteArray();
  }

  /** Random bytes, a truncated valid request, or a valid request with bytes flipped. */
  private byte[] garbage(byte[] sample) {
    int r = in.nextInt(3);
    if (r == 0 || sample.length == 0) {
      return in.bytes(200);
    }
    byte[] b;
    if (r == 1) {
      b = java.util.Arrays.copyOf(sample, in.nextInt(sample.length));
    } else {
      b = sample.clone();
      for (int k = 0; k <= in.nextInt(3); k++) {
        b[in.nextInt(b.length)] ^= (byte) (1 + in.nextInt(255));
      }
    }
    return b;
  }

  private static Message tryParse(Parser<? extends Message> parser, byte[] frame) {
    try {
      return parser.parseFrom(frame);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  private void unary(MethodDescriptor<?, ?> m, Parser<? extends Message> parser, byte[] frame) {
    Message parsed = tryParse(parser, frame);
    String name = m.getBareMethodName();
    if (parsed != null) {
      // it decodes: a valid request after all, with whatever it says
      if (parsed instanceof CreateRequest c) {
        f.create(c, "garbage that decodes: Create");
      } else if (parsed instanceof SetDataRequest s) {
        f.setData(s, "garbage that decodes: SetData");
      } else if (parsed instanceof DeleteRequest d) {
        f.delete(d, "garbage that decodes: Delete");
      } else if (parsed instanceof DeleteAllRequest d) {
        f.deleteAll(d, "garbage that decodes: DeleteAll");
      } else if (parsed instanceof CloseSessionRequest c) {
        f.closeSession(c, "garbage that decodes: CloseSession");
      } else if (parsed instanceof GetDataRequest g) {
        f.getData(g, f.member(), "garbage that decodes: GetData");
      } else if (parsed instanceof ExistsRequest e) {
        f.exists(e, f.member(), "garbage that decodes: Exists");
      } else if (parsed instanceof GetChildrenRequest g) {
        f.getChildren(g, f.member(), "garbage that decodes: GetChildren");
      } else if (parsed instanceof SyncRequest s) {
        f.sync(s, f.member(), "garbage that decodes: Sync");
      } else {
        rawUnary(m, frame, true, "garbage that decodes: " + name); // sessions, admin
      }
      return;
    }
    rawUnary(m, frame, false, "garbage: " + name);
  }

  /** Sends {@code frame} as is; a frame that does not decode must fail with a typed INVALID_ARGUMENT. */
  private void rawUnary(MethodDescriptor<?, ?> m, byte[] frame, boolean decodes, String category) {
    f.counts.add(category);
    String what = category + " (" + frame.length + " bytes)";
    try {
      RawGrpc.unary(f.channels.get(f.member()), RawGrpc.raw(m), frame, ApiFuzzer.DEADLINE_MS);
      if (!decodes) {
        throw new AssertionError(what + ": undecodable bytes were accepted");
      }
    } catch (StatusRuntimeException e) {
      var code = Answers.check(e, Answers.Plain.NONE, what);
      if (!decodes && code != coord.api.v1.ErrorCode.INVALID_ARGUMENT) {
        throw new AssertionError(what + ": undecodable bytes answered " + code);
      }
    }
  }

  private void stream(MethodDescriptor<?, ?> m, Parser<? extends Message> parser, List<byte[]> frames,
      String category) throws InterruptedException {
    boolean allDecode = frames.stream().allMatch(fr -> tryParse(parser, fr) != null);
    f.counts.add(category);
    String what = category + " (" + frames.size() + " frames, " + (allDecode ? "all decode" : "some do not") + ")";
    var result = RawGrpc.stream(f.channels.get(f.member()), RawGrpc.raw(m), frames, 30_000);
    if (!result.ended()) {
      throw new AssertionError(what + ": the stream neither answered nor ended after the client half-closed");
    }
    if (result.error() != null) {
      var code = Answers.check(result.error(), Answers.Plain.NONE, what);
      if (!allDecode && code != coord.api.v1.ErrorCode.INVALID_ARGUMENT) {
        throw new AssertionError(what + ": undecodable frames answered " + code);
      }
    } else if (!allDecode && !endedByServerFirst(m, result.messages())) {
      throw new AssertionError(what + ": undecodable frames ended the stream without an error");
    }
  }

  /**
   * Whether the server had ended the stream on its own before the bad frame came: a KeepAlive stream ends
   * after answering that its session is gone.
   */
  private static boolean endedByServerFirst(MethodDescriptor<?, ?> m, List<byte[]> answers) {
    if (!m.getFullMethodName().equals(CoordGrpc.getKeepAliveMethod().getFullMethodName()) || answers.isEmpty()) {
      return false;
    }
    try {
      return coord.api.v1.KeepAliveResponse.parseFrom(answers.get(answers.size() - 1)).getExpired();
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("KeepAlive answered bytes that do not decode", e);
    }
  }

  /** One frame just above the inbound limit per method: gRPC refuses it before coord sees it. */
  private void oversized(MethodDescriptor<?, ?> m) throws InterruptedException {
    byte[] frame = new byte[f.maxInboundBytes + 1 + in.nextInt(1024)];
    String category = "oversized frame: " + m.getBareMethodName();
    f.counts.add(category);
    if (m.getType() == MethodDescriptor.MethodType.UNARY) {
      try {
        RawGrpc.unary(f.channels.get(f.member()), RawGrpc.raw(m), frame, ApiFuzzer.DEADLINE_MS);
        throw new AssertionError(category + ": accepted");
      } catch (StatusRuntimeException e) {
        Answers.check(e, Answers.Plain.OVERSIZED, category);
      }
    } else {
      var result = RawGrpc.stream(f.channels.get(f.member()), RawGrpc.raw(m), List.of(frame), 30_000);
      if (!result.ended() || result.error() == null) {
        throw new AssertionError(category + ": not refused");
      }
      Answers.check(result.error(), Answers.Plain.OVERSIZED, category);
    }
  }

  private void unknownMethods() throws InterruptedException {
    for (String service : List.of(CoordGrpc.SERVICE_NAME, "coord.v1.NoSuchService")) {
      String category = "unknown method";
      f.counts.add(category);
      try {
        RawGrpc.unary(f.channels.get(f.member()), RawGrpc.unknown(service, MethodDescriptor.MethodType.UNARY),
            in.bytes(20), ApiFuzzer.DEADLINE_MS);
        throw new AssertionError(category + ": answered");
      } catch (StatusRuntimeException e) {
        Answers.check(e, Answers.Plain.UNKNOWN_METHOD, category + " " + service);
      }
      f.counts.add(category);
      var result = RawGrpc.stream(f.channels.get(f.member()),
          RawGrpc.unknown(service, MethodDescriptor.MethodType.BIDI_STREAMING), List.of(in.bytes(20)), 30_000);
      if (!result.ended() || result.error() == null) {
        throw new AssertionError(category + " stream: not refused");
      }
      Answers.check(result.error(), Answers.Plain.UNKNOWN_METHOD, category + " stream " + service);
    }
  }
}
