package coord.statemachine;

import com.google.protobuf.ByteString;
import com.google.protobuf.TextFormat;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.DeleteAllRequest;
import coord.api.v1.DeleteRequest;
import coord.api.v1.RequestId;
import coord.api.v1.SetDataRequest;
import coord.statemachine.proto.LogEntry;
import coord.statemachine.proto.Op;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** Shared test plumbing: apply and commit an entry, dump a tree, build ops. */
final class TestTrees {
  static final long TERM = 1;

  private TestTrees() {}

  /** Applies {@code entry} at {@code index} in one transaction and commits it, as the state machine does. */
  static EntryApplier.Result apply(KvStore store, long index, LogEntry entry) {
    ZTreeTxn tree = new ZTreeTxn(store.begin());
    EntryApplier.Result result = EntryApplier.apply(tree, index, entry);
    tree.commit(TERM, index, result.lastZxid());
    return result;
  }

  static LogEntry entry(long timeMs, int maxDataBytes, Op... ops) {
    return LogEntry.newBuilder().setTimeMs(timeMs).setMaxDataBytes(maxDataBytes)
        .addAllOps(List.of(ops)).build();
  }

  /** Every stored znode (and the root, stored or not) as path to "stat data=hex". */
  static SortedMap<String, String> dump(ZTree tree) {
    SortedMap<String, String> out = new TreeMap<>();
    tree.forEachNode((path, node) -> out.put(path, describe(node)));
    out.put("/", describe(tree.get("/")));
    return out;
  }

  static String describe(NodeRecord node) {
    return TestTrees.oneLine(node.toStat()) + " data=" + HexFormat.of().formatHex(node.data());
  }

  /** A message on one line, for assertion descriptions. */
  static String oneLine(com.google.protobuf.MessageOrBuilder message) {
    return TextFormat.printer().emittingSingleLine(true).printToString(message).trim();
  }

  static RequestId id(String client, long call) {
    return RequestId.newBuilder().setClientId(ByteString.copyFromUtf8(client)).setCallId(call).build();
  }

  static Op create(String path, String data) {
    return Op.newBuilder().setCreate(CreateRequest.newBuilder().setPath(path)
        .setData(ByteString.copyFromUtf8(data))).build();
  }

  static Op createSequential(String path, String data, RequestId id) {
    CreateRequest.Builder r = CreateRequest.newBuilder().setPath(path).setData(ByteString.copyFromUtf8(data))
        .setMode(CreateMode.PERSISTENT_SEQUENTIAL);
    if (id != null) {
      r.setRequestId(id);
    }
    return Op.newBuilder().setCreate(r).build();
  }

  static Op set(String path, String data, RequestId id) {
    SetDataRequest.Builder r = SetDataRequest.newBuilder().setPath(path).setData(ByteString.copyFromUtf8(data));
    if (id != null) {
      r.setRequestId(id);
    }
    return Op.newBuilder().setSetData(r).build();
  }

  static Op delete(String path, RequestId id) {
    DeleteRequest.Builder r = DeleteRequest.newBuilder().setPath(path);
    if (id != null) {
      r.setRequestId(id);
    }
    return Op.newBuilder().setDelete(r).build();
  }

  static Op deleteAll(String path, RequestId id) {
    DeleteAllRequest.Builder r = DeleteAllRequest.newBuilder().setPath(path);
    if (id != null) {
      r.setRequestId(id);
    }
    return Op.newBuilder().setDeleteAll(r).build();
  }
}
