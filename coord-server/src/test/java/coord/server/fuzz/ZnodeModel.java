package coord.server.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;

import coord.api.v1.CloseSessionRequest;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.DeleteAllRequest;
import coord.api.v1.DeleteRequest;
import coord.api.v1.ErrorCode;
import coord.api.v1.RequestId;
import coord.api.v1.SetDataRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the tree must be, kept from the fuzzer's own acknowledged writes and written from ZooKeeper's rules
 * (not from the server's classes). For a request it predicts the one correct outcome: the error the server
 * checks first, or success with the new node's path, version and counters. Single-threaded: the fuzzer
 * feeds it one answered request at a time, in the order the cluster applied them.
 */
final class ZnodeModel {
  static final int MAX_CLIENT_ID_BYTES = 64;
  static final Comparator<String> UTF8_ORDER =
      (a, b) -> Arrays.compareUnsigned(a.getBytes(UTF_8), b.getBytes(UTF_8));

  /** The parts of a znode the fuzzer can predict (zxids and times are only checked for order). */
  static final class Node {
    byte[] data;
    int version;
    int cversion;
    final long owner;
    final TreeSet<String> children = new TreeSet<>(UTF8_ORDER);

    Node(byte[] data, long owner) {
      this.data = data;
      this.owner = owner;
    }
  }

  /** A predicted outcome: an error code, or success (then {@code path} is the node it touches). */
  record Expected(ErrorCode error, String path) {
    static Expected ok(String path) {
      return new Expected(null, path);
    }

    static Expected fail(ErrorCode code) {
      return new Expected(code, null);
    }

    boolean succeeds() {
      return error == null;
    }
  }

  private final int maxDataBytes;
  private final long minSessionMs;
  private final long maxSessionMs;
  final TreeMap<String, Node> nodes = new TreeMap<>();
  /** Open sessions and the ephemeral nodes each owns. */
  final Map<Long, Set<String>> sessions = new HashMap<>();

  ZnodeModel(int maxDataBytes, long minSessionMs, long maxSessionMs) {
    this.maxDataBytes = maxDataBytes;
    this.minSessionMs = minSessionMs;
    this.maxSessionMs = maxSessionMs;
    nodes.put("/", new Node(new byte[0], 0));
  }

  // ------------------------------------------------------------------ path rules (ZooKeeper's, restated)

  static boolean validPath(String p) {
    if (p.isEmpty() || p.charAt(0) != '/') {
      return false;
    }
    if (p.equals("/")) {
      return true;
    }
    for (String name : p.substring(1).split("/", -1)) {
      if (name.isEmpty() || name.equals(".") || name.equals("..")) {
        return false;
      }
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
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

  static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  static String child(String parent, String name) {
    return parent.equals("/") ? "/" + name : parent + "/" + name;
  }

  static boolean isSequential(CreateMode m) {
    return m == CreateMode.PERSISTENT_SEQUENTIAL || m == CreateMode.EPHEMERAL_SEQUENTIAL
        || m == CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
  }

  static boolean isTtl(CreateMode m) {
    return m == CreateMode.PERSISTENT_WITH_TTL || m == CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL;
  }

  static boolean isEphemeral(CreateMode m) {
    return m == CreateMode.EPHEMERAL || m == CreateMode.EPHEMERAL_SEQUENTIAL;
  }

  // ------------------------------------------------------------------ predictions

  /** Checks every write shares after path and data: the request id, then the session it names. */
  private ErrorCode commonWriteChecks(RequestId id, boolean hasId, long session) {
    if (hasId && id.getClientId().size() > MAX_CLIENT_ID_BYTES) {
      return ErrorCode.INVALID_ARGUMENT;
    }
    if (session != 0 && !sessions.containsKey(session)) {
      return ErrorCode.SESSION_EXPIRED;
    }
    return null;
  }

  Expected create(CreateRequest r) {
    CreateMode mode = r.getMode();
    boolean sequential = isSequential(mode);
    String checked = sequential ? r.getPath() + "0" : r.getPath();
    if (!validPath(checked)) {
      return Expected.fail(ErrorCode.INVALID_PATH);
    }
    if (r.getData().size() > maxDataBytes) {
      return Expected.fail(ErrorCode.DATA_TOO_LARGE);
    }
    ErrorCode common = commonWriteChecks(r.getRequestId(), r.hasRequestId(), r.getSessionId());
    if (common != null) {
      return Expected.fail(common);
    }
    if (mode == CreateMode.UNRECOGNIZED) {
      return Expected.fail(ErrorCode.INVALID_ARGUMENT);
    }
    if (isTtl(mode) && (r.getTtlMs() <= 0 || r.getTtlMs() > MAX_TTL_MS)) {
      return Expected.fail(ErrorCode.INVALID_ARGUMENT);
    }
    if (checked.equals("/")) {
      return Expected.fail(ErrorCode.NODE_EXISTS);
    }
    Node parent = nodes.get(parentOf(checked));
    if (parent == null) {
      return Expected.fail(ErrorCode.NO_NODE);
    }
    String path = sequential ? r.getPath() + String.format("%010d", parent.cversion) : r.getPath();
    if (nodes.containsKey(path)) {
      return Expected.fail(ErrorCode.NODE_EXISTS);
    }
    if (parent.owner > 0) { // a positive owner is a session: the parent is ephemeral
      return Expected.fail(ErrorCode.NO_CHILDREN_FOR_EPHEMERALS);
    }
    if (isEphemeral(mode) && r.getSessionId() == 0) {
      return Expected.fail(ErrorCode.INVALID_ARGUMENT);
    }
    return Expected.ok(path);
  }

  /** Records a create the cluster acknowledged at {@code path}. */
  void created(CreateRequest r, String path) {
    long owner = isEphemeral(r.getMode()) ? r.getSessionId()
        : r.getMode() == CreateMode.CONTAINER ? CONTAINER_OWNER
        : isTtl(r.getMode()) ? TTL_MARK | r.getTtlMs() : 0;
    Node parent = nodes.get(parentOf(path));
    nodes.put(path, new Node(r.getData().toByteArray(), owner));
    parent.children.add(nameOf(path));
    parent.cversion++;
    if (isEphemeral(r.getMode())) {
      sessions.get(r.getSessionId()).add(path);
    }
  }

  Expected setData(SetDataRequest r) {
    if (!validPath(r.getPath())) {
      return Expected.fail(ErrorCode.INVALID_PATH);
    }
    if (r.getData().size() > maxDataBytes) {
      return Expected.fail(ErrorCode.DATA_TOO_LARGE);
    }
    ErrorCode common = commonWriteChecks(r.getRequestId(), r.hasRequestId(), r.getSessionId());
    if (common != null) {
      return Expected.fail(common);
    }
    Node n = nodes.get(r.getPath());
    if (n == null) {
      return Expected.fail(ErrorCode.NO_NODE);
    }
    if (badVersion(r.hasExpectedVersion(), r.getExpectedVersion(), n)) {
      return Expected.fail(ErrorCode.BAD_VERSION);
    }
    return Expected.ok(r.getPath());
  }

  void dataSet(SetDataRequest r) {
    Node n = nodes.get(r.getPath());
    n.data = r.getData().toByteArray();
    n.version++;
  }

  Expected delete(DeleteRequest r) {
    if (!validPath(r.getPath())) {
      return Expected.fail(ErrorCode.INVALID_PATH);
    }
    ErrorCode common = commonWriteChecks(r.getRequestId(), r.hasRequestId(), r.getSessionId());
    if (common != null) {
      return Expected.fail(common);
    }
    if (r.getPath().equals("/")) {
      return Expected.fail(ErrorCode.INVALID_ARGUMENT);
    }
    Node n = nodes.get(r.getPath());
    if (n == null) {
      return Expected.fail(ErrorCode.NO_NODE);
    }
    if (badVersion(r.hasExpectedVersion(), r.getExpectedVersion(), n)) {
      return Expected.fail(ErrorCode.BAD_VERSION);
    }
    if (!n.children.isEmpty()) {
      return Expected.fail(ErrorCode.NOT_EMPTY);
    }
    return Expected.ok(r.getPath());
  }

  Expected deleteAll(DeleteAllRequest r) {
    if (!validPath(r.getPath())) {
      return Expected.fail(ErrorCode.INVALID_PATH);
    }
    ErrorCode common = commonWriteChecks(r.getRequestId(), r.hasRequestId(), r.getSessionId());
    if (common != null) {
      return Expected.fail(common);
    }
    if (r.getPath().equals("/")) {
      return Expected.fail(ErrorCode.INVALID_ARGUMENT);
    }
    return nodes.containsKey(r.getPath()) ? Expected.ok(r.getPath()) : Expected.fail(ErrorCode.NO_NODE);
  }

  /** Removes {@code path} and everything below it; returns how many nodes went. */
  int removeSubtree(String path) {
    List<String> gone = new ArrayList<>();
    gone.add(path);
    gone.addAll(nodes.subMap(path + "/", true, path + "0", false).keySet()); // '0' follows '/'
    for (String p : gone) {
      Node n = nodes.remove(p);
      if (n.owner != 0 && sessions.containsKey(n.owner)) {
        sessions.get(n.owner).remove(p);
      }
    }
    Node parent = nodes.get(parentOf(path));
    parent.children.remove(nameOf(path));
    parent.cversion++;
    return gone.size();
  }

  Expected closeSession(CloseSessionRequest r) {
    ErrorCode common = commonWriteChecks(r.getRequestId(), r.hasRequestId(), 0);
    if (common != null) {
      return Expected.fail(common);
    }
    return sessions.containsKey(r.getSessionId()) ? Expected.ok(null) : Expected.fail(ErrorCode.SESSION_EXPIRED);
  }

  /** A session ended (closed or expired): its ephemeral nodes are gone with it. */
  void sessionEnded(long id) {
    Set<String> owned = sessions.remove(id);
    if (owned != null) {
      for (String p : new ArrayList<>(owned)) {
        removeSubtree(p);
      }
    }
  }

  void sessionOpened(long id) {
    sessions.put(id, new LinkedHashSet<>());
  }

  long negotiatedTimeout(long requested) {
    return Math.max(minSessionMs, Math.min(maxSessionMs, requested));
  }

  private static boolean badVersion(boolean has, int expected, Node n) {
    return has && expected != -1 && expected != n.version;
  }

  // ------------------------------------------------------------------ owners of special nodes

  /** ZooKeeper's TTL limit: the owner field keeps 40 bits of milliseconds. */
  static final long MAX_TTL_MS = 0xFF_FFFF_FFFFL;
  /** The owner ZooKeeper gives containers. */
  static final long CONTAINER_OWNER = Long.MIN_VALUE;
  /** The top byte ZooKeeper sets in a TTL node's owner; the TTL is in the low 40 bits. */
  static final long TTL_MARK = 0xFF00_0000_0000_0000L;
}
