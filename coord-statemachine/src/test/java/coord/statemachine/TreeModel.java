package coord.statemachine;

import static java.nio.charset.StandardCharsets.UTF_8;

import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.CreateResponse;
import coord.api.v1.DeleteAllRequest;
import coord.api.v1.DeleteAllResponse;
import coord.api.v1.DeleteRequest;
import coord.api.v1.DeleteResponse;
import coord.api.v1.ErrorCode;
import coord.api.v1.RequestId;
import coord.api.v1.SetDataRequest;
import coord.api.v1.SetDataResponse;
import coord.api.v1.Stat;
import coord.statemachine.proto.LogEntry;
import coord.statemachine.proto.Op;
import coord.statemachine.proto.OpResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An independent model of the znode tree, written from ZooKeeper's rules and not from the production
 * classes: a sorted map of paths to mutable nodes. Results carry no error message (the property compares
 * messages only for presence). Dedup records are pruned at the end of an entry, all at once: the property
 * draws few enough request ids that the production prune budget never binds.
 */
final class TreeModel {
  static final long RETENTION_MS = 10 * 60 * 1000L;
  static final int MAX_CLIENT_ID_BYTES = 64;

  /** Every Stat field, plus the data. */
  static final class ModelNode {
    byte[] data;
    long czxid;
    long mzxid;
    long pzxid;
    long ctime;
    long mtime;
    int version;
    int cversion;
    int aclVersion;
    long ephemeralOwner;
    int numChildren;

    ModelNode(byte[] data, long zxid, long time) {
      this.data = data;
      czxid = mzxid = pzxid = zxid;
      ctime = mtime = time;
    }

    Stat stat() {
      return Stat.newBuilder().setCzxid(czxid).setMzxid(mzxid).setPzxid(pzxid).setCtime(ctime)
          .setMtime(mtime).setVersion(version).setCversion(cversion).setAclVersion(aclVersion)
          .setEphemeralOwner(ephemeralOwner).setDataLength(data.length).setNumChildren(numChildren).build();
    }
  }

  private record Remembered(OpResult result, long timeMs) {}

  final TreeMap<String, ModelNode> nodes = new TreeMap<>();
  private final Map<RequestId, Remembered> dedup = new HashMap<>();
  long lastZxid;

  TreeModel() {
    nodes.put("/", new ModelNode(new byte[0], 0, 0));
  }

  /** ZooKeeper's PathUtils.validatePath, restated. */
  static boolean validPath(String p) {
    if (p == null || p.isEmpty() || p.charAt(0) != '/') {
      return false;
    }
    if (p.equals("/")) {
      return true;
    }
    for (String name : p.substring(1).split("/", -1)) {
      if (name.isEmpty() || name.equals(".") || name.equals("..")) {
        return false;
      }
      for (char c : name.toCharArray()) {
        if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0) {
          return false;
        }
      }
    }
    return true;
  }

  static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  /** Child names of {@code path}, sorted by UTF-8 bytes as the API promises. */
  List<String> children(String path) {
    List<String> names = new ArrayList<>();
    for (String p : nodes.keySet()) {
      if (!p.equals("/") && parentOf(p).equals(path)) {
        names.add(p.substring(p.lastIndexOf('/') + 1));
      }
    }
    names.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(UTF_8), y.getBytes(UTF_8)));
    return names;
  }

  /** Ends an entry whose ops went through {@link #applyOp}: the last zxid moves, old dedup records go. */
  void endEntry(long index, LogEntry entry) {
    dedup.values().removeIf(r -> r.timeMs() < entry.getTimeMs() - RETENTION_MS);
    if (entry.getOpsCount() > 0) {
      lastZxid = (index << 16) | (entry.getOpsCount() - 1);
    }
  }

  OpResult applyOp(Op op, long zxid, long time, int max) {
    RequestId id = switch (op.getOpCase()) {
      case CREATE -> op.getCreate().getRequestId();
      case SET_DATA -> op.getSetData().getRequestId();
      case DELETE -> op.getDelete().getRequestId();
      case DELETE_ALL -> op.getDeleteAll().getRequestId();
      default -> RequestId.getDefaultInstance(); // sessions are outside this model
    };
    if (id.getClientId().isEmpty()) {
      return dispatch(op, zxid, time, max);
    }
    if (id.getClientId().size() > MAX_CLIENT_ID_BYTES) {
      return error(ErrorCode.INVALID_ARGUMENT, "", zxid);
    }
    Remembered seen = dedup.get(id);
    if (seen != null && seen.timeMs() >= time - RETENTION_MS) { // an expired record no longer counts
      return seen.result();
    }
    OpResult r = dispatch(op, zxid, time, max);
    dedup.put(id, new Remembered(r, time));
    return r;
  }

  private OpResult dispatch(Op op, long zxid, long time, int max) {
    return switch (op.getOpCase()) {
      case CREATE -> create(op.getCreate(), zxid, time, max);
      case SET_DATA -> setData(op.getSetData(), zxid, time, max);
      case DELETE -> delete(op.getDelete(), zxid);
      case DELETE_ALL -> deleteAll(op.getDeleteAll(), zxid);
      default -> error(ErrorCode.INVALID_ARGUMENT, "", zxid); // sessions are outside this model
    };
  }

  private OpResult create(CreateRequest r, long zxid, long time, int max) {
    boolean sequential = r.getMode() == CreateMode.PERSISTENT_SEQUENTIAL;
    // A sequential path is validated with a suffix (it may end in '/'); the path as sent is reported.
    String checked = sequential ? r.getPath() + "0" : r.getPath();
    if (!validPath(checked)) {
      return error(ErrorCode.INVALID_PATH, r.getPath(), zxid);
    }
    if (r.getData().size() > max) {
      return error(ErrorCode.DATA_TOO_LARGE, r.getPath(), zxid);
    }
    if (checked.equals("/")) {
      return error(ErrorCode.NODE_EXISTS, r.getPath(), zxid);
    }
    ModelNode parent = nodes.get(parentOf(checked));
    if (parent == null) {
      return error(ErrorCode.NO_NODE, r.getPath(), zxid);
    }
    String path = sequential ? r.getPath() + String.format("%010d", parent.cversion) : r.getPath();
    if (nodes.containsKey(path)) {
      return error(ErrorCode.NODE_EXISTS, path, zxid);
    }
    ModelNode node = new ModelNode(r.getData().toByteArray(), zxid, time);
    nodes.put(path, node);
    parent.cversion++;
    parent.pzxid = zxid;
    parent.numChildren++;
    return OpResult.newBuilder().setZxid(zxid)
        .setCreate(CreateResponse.newBuilder().setPath(path).setStat(node.stat())).build();
  }

  private OpResult setData(SetDataRequest r, long zxid, long time, int max) {
    String path = r.getPath();
    if (!validPath(path)) {
      return error(ErrorCode.INVALID_PATH, path, zxid);
    }
    if (r.getData().size() > max) {
      return error(ErrorCode.DATA_TOO_LARGE, path, zxid);
    }
    ModelNode node = nodes.get(path);
    if (node == null) {
      return error(ErrorCode.NO_NODE, path, zxid);
    }
    if (r.hasExpectedVersion() && r.getExpectedVersion() != -1 && r.getExpectedVersion() != node.version) {
      return error(ErrorCode.BAD_VERSION, path, zxid);
    }
    node.data = r.getData().toByteArray();
    node.version++;
    node.mzxid = zxid;
    node.mtime = time;
    return OpResult.newBuilder().setZxid(zxid).setSetData(SetDataResponse.newBuilder().setStat(node.stat()))
        .build();
  }

  private OpResult delete(DeleteRequest r, long zxid) {
    String path = r.getPath();
    if (!validPath(path)) {
      return error(ErrorCode.INVALID_PATH, path, zxid);
    }
    if (path.equals("/")) {
      return error(ErrorCode.INVALID_ARGUMENT, path, zxid);
    }
    ModelNode node = nodes.get(path);
    if (node == null) {
      return error(ErrorCode.NO_NODE, path, zxid);
    }
    if (r.hasExpectedVersion() && r.getExpectedVersion() != -1 && r.getExpectedVersion() != node.version) {
      return error(ErrorCode.BAD_VERSION, path, zxid);
    }
    if (node.numChildren > 0) {
      return error(ErrorCode.NOT_EMPTY, path, zxid);
    }
    nodes.remove(path);
    childRemoved(path, zxid);
    return OpResult.newBuilder().setZxid(zxid).setDelete(DeleteResponse.getDefaultInstance()).build();
  }

  private OpResult deleteAll(DeleteAllRequest r, long zxid) {
    String path = r.getPath();
    if (!validPath(path)) {
      return error(ErrorCode.INVALID_PATH, path, zxid);
    }
    if (path.equals("/")) {
      return error(ErrorCode.INVALID_ARGUMENT, path, zxid);
    }
    if (!nodes.containsKey(path)) {
      return error(ErrorCode.NO_NODE, path, zxid);
    }
    int before = nodes.size();
    nodes.keySet().removeIf(p -> p.equals(path) || p.startsWith(path + "/"));
    childRemoved(path, zxid);
    return OpResult.newBuilder().setZxid(zxid)
        .setDeleteAll(DeleteAllResponse.newBuilder().setDeleted(before - nodes.size())).build();
  }

  private void childRemoved(String path, long zxid) {
    ModelNode parent = nodes.get(parentOf(path));
    parent.cversion++;
    parent.pzxid = zxid;
    parent.numChildren--;
  }

  private static OpResult error(ErrorCode code, String path, long zxid) {
    return OpResult.newBuilder().setError(code).setErrorPath(path).setZxid(zxid).build();
  }
}
