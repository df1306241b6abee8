package coord.statemachine;

import coord.api.v1.ErrorCode;
import coord.statemachine.proto.OpResult;
import java.util.List;

/** What one operation of a log entry applies against: the tree, its zxid, and the entry's stamps. */
record OpContext(ZTreeTxn tree, long zxid, long timeMs, int maxDataBytes, List<WatchEvent> events) {

  OpResult error(ErrorCode code, String message, String path) {
    return OpResult.newBuilder()
        .setError(code).setErrorMessage(message).setErrorPath(path).setZxid(zxid).build();
  }

  /** The error for an invalid path, or null when {@code path} is valid. */
  OpResult checkPath(String path) {
    return checkPath(path, path);
  }

  /** Validates {@code validated} but names {@code requested}, the path the client sent. */
  OpResult checkPath(String validated, String requested) {
    String reason = ZPaths.invalidReason(validated);
    return reason == null ? null
        : error(ErrorCode.INVALID_PATH, "invalid path '" + requested + "': " + reason, requested);
  }

  /** The error for deleting {@code path}, which must be a valid path of an existing node other than /. */
  OpResult checkDeletable(String path) {
    OpResult bad = checkPath(path);
    if (bad != null) {
      return bad;
    }
    if (ZPaths.ROOT.equals(path)) {
      return error(ErrorCode.INVALID_ARGUMENT, "the root cannot be deleted", path);
    }
    return tree.get(path) == null ? error(ErrorCode.NO_NODE, "node does not exist", path) : null;
  }

  OpResult checkDataSize(String path, int size) {
    return size <= maxDataBytes ? null : error(ErrorCode.DATA_TOO_LARGE,
        "data of " + size + " bytes exceeds the limit of " + maxDataBytes + " bytes", path);
  }

  /** ZooKeeper's expected-version rule: absent or -1 matches any version. */
  OpResult checkVersion(String path, boolean hasExpected, int expected, NodeRecord node) {
    if (!hasExpected || expected == -1 || expected == node.version()) {
      return null;
    }
    return error(ErrorCode.BAD_VERSION,
        "expected version " + expected + " but the node is at version " + node.version(), path);
  }

  void event(WatchEvent.Type type, String path) {
    events.add(new WatchEvent(type, path, zxid));
  }
}
