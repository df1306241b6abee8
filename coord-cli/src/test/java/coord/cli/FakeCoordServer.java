package coord.cli;

import com.google.protobuf.ByteString;
import coord.api.Errors;
import coord.api.v1.AdminGrpc;
import coord.api.v1.CoordGrpc;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.CreateResponse;
import coord.api.v1.DeleteAllRequest;
import coord.api.v1.DeleteAllResponse;
import coord.api.v1.DeleteRequest;
import coord.api.v1.DeleteResponse;
import coord.api.v1.ErrorCode;
import coord.api.v1.ExistsRequest;
import coord.api.v1.ExistsResponse;
import coord.api.v1.GetChildrenRequest;
import coord.api.v1.GetChildrenResponse;
import coord.api.v1.GetDataRequest;
import coord.api.v1.GetDataResponse;
import coord.api.v1.Role;
import coord.api.v1.SetDataRequest;
import coord.api.v1.SetDataResponse;
import coord.api.v1.Stat;
import coord.api.v1.StatusRequest;
import coord.api.v1.StatusResponse;
import coord.api.v1.SyncRequest;
import coord.api.v1.SyncResponse;
import coord.api.v1.WatchRequest;
import coord.api.v1.WatchResponse;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A one-node, in-memory coord with ZooKeeper's semantics for the calls the CLI makes, on a loopback port,
 * so the CLI tests run without the real server. Not replicated, not persistent, no dedup.
 */
final class FakeCoordServer implements AutoCloseable {
  private final Map<String, Node> tree = new HashMap<>();
  private final Server server;
  static final long FIRST_ZXID = 0x100000000L;
  private long zxid = FIRST_ZXID;

  private static final class Node {
    ByteString data;
    Stat.Builder stat = Stat.newBuilder();
    final TreeSet<String> children = new TreeSet<>();
  }

  FakeCoordServer() throws IOException {
    tree.put("/", new Node());
    tree.get("/").data = ByteString.EMPTY;
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new CoordService())
        .addService(new AdminService())
        .build()
        .start();
  }

  String endpoint() {
    return "127.0.0.1:" + server.getPort();
  }

  @Override
  public void close() {
    try {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private synchronized <T> void answer(StreamObserver<T> observer, Supplier<T> body) {
    T response;
    try {
      response = body.get();
    } catch (StatusRuntimeException e) {
      observer.onError(e);
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  private static StatusRuntimeException error(ErrorCode code, String path) {
    return Errors.toStatusException(code, path, path);
  }

  private static void checkPath(String path) {
    if (!path.startsWith("/") || path.contains("//") || (path.length() > 1 && path.endsWith("/"))) {
      throw error(ErrorCode.INVALID_PATH, path);
    }
  }

  private Node node(String path) {
    checkPath(path);
    Node node = tree.get(path);
    if (node == null) {
      throw error(ErrorCode.NO_NODE, path);
    }
    return node;
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  private static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private void removed(String path, long z) {
    Node parent = tree.get(parentOf(path));
    parent.children.remove(nameOf(path));
    parent.stat.setCversion(parent.stat.getCversion() + 1).setPzxid(z).setNumChildren(parent.children.size());
  }

  private final class CoordService extends CoordGrpc.CoordImplBase {
    @Override
    public void create(CreateRequest r, StreamObserver<CreateResponse> o) {
      answer(o, () -> {
        checkPath(r.getPath());
        if (r.getPath().equals("/")) {
          throw error(ErrorCode.NODE_EXISTS, "/");
        }
        Node parent = node(parentOf(r.getPath()));
        String path = r.getPath();
        if (r.getMode() == CreateMode.PERSISTENT_SEQUENTIAL) {
          path += String.format("%010d", parent.stat.getCversion());
        }
        if (tree.containsKey(path)) {
          throw error(ErrorCode.NODE_EXISTS, path);
        }
        long z = ++zxid;
        long now = System.currentTimeMillis();
        Node node = new Node();
        node.data = r.getData();
        node.stat.setCzxid(z).setMzxid(z).setPzxid(z).setCtime(now).setMtime(now)
            .setDataLength(r.getData().size());
        tree.put(path, node);
        parent.children.add(nameOf(path));
        parent.stat.setCversion(parent.stat.getCversion() + 1).setPzxid(z)
            .setNumChildren(parent.children.size());
        return CreateResponse.newBuilder().setPath(path).setStat(node.stat.build()).build();
      });
    }

    @Override
    public void getData(GetDataRequest r, StreamObserver<GetDataResponse> o) {
      answer(o, () -> {
        Node node = node(r.getPath());
        return GetDataResponse.newBuilder().setData(node.data).setStat(node.stat.build()).build();
      });
    }

    @Override
    public void setData(SetDataRequest r, StreamObserver<SetDataResponse> o) {
      answer(o, () -> {
        Node node = node(r.getPath());
        if (r.hasExpectedVersion() && r.getExpectedVersion() != -1
            && r.getExpectedVersion() != node.stat.getVersion()) {
          throw error(ErrorCode.BAD_VERSION, r.getPath());
        }
        node.data = r.getData();
        node.stat.setVersion(node.stat.getVersion() + 1).setMzxid(++zxid)
            .setMtime(System.currentTimeMillis()).setDataLength(r.getData().size());
        return SetDataResponse.newBuilder().setStat(node.stat.build()).build();
      });
    }

    @Override
    public void delete(DeleteRequest r, StreamObserver<DeleteResponse> o) {
      answer(o, () -> {
        if (r.getPath().equals("/")) {
          throw error(ErrorCode.INVALID_ARGUMENT, "/");
        }
        Node node = node(r.getPath());
        if (r.hasExpectedVersion() && r.getExpectedVersion() != -1
            && r.getExpectedVersion() != node.stat.getVersion()) {
          throw error(ErrorCode.BAD_VERSION, r.getPath());
        }
        if (!node.children.isEmpty()) {
          throw error(ErrorCode.NOT_EMPTY, r.getPath());
        }
        tree.remove(r.getPath());
        removed(r.getPath(), ++zxid);
        return DeleteResponse.getDefaultInstance();
      });
    }

    @Override
    public void deleteAll(DeleteAllRequest r, StreamObserver<DeleteAllResponse> o) {
      answer(o, () -> {
        if (r.getPath().equals("/")) {
          throw error(ErrorCode.INVALID_ARGUMENT, "/");
        }
        node(r.getPath());
        String prefix = r.getPath() + "/";
        long before = tree.size();
        tree.keySet().removeIf(p -> p.equals(r.getPath()) || p.startsWith(prefix));
        removed(r.getPath(), ++zxid);
        return DeleteAllResponse.newBuilder().setDeleted(before - tree.size()).build();
      });
    }

    @Override
    public void exists(ExistsRequest r, StreamObserver<ExistsResponse> o) {
      answer(o, () -> {
        checkPath(r.getPath());
        Node node = tree.get(r.getPath());
        return node == null
            ? ExistsResponse.newBuilder().setExists(false).build()
            : ExistsResponse.newBuilder().setExists(true).setStat(node.stat.build()).build();
      });
    }

    @Override
    public void getChildren(GetChildrenRequest r, StreamObserver<GetChildrenResponse> o) {
      answer(o, () -> {
        Node node = node(r.getPath());
        return GetChildrenResponse.newBuilder()
            .addAllChildren(new ArrayList<>(node.children))
            .setStat(node.stat.build())
            .build();
      });
    }

    @Override
    public void sync(SyncRequest r, StreamObserver<SyncResponse> o) {
      answer(o, SyncResponse::getDefaultInstance);
    }

    /**
     * Keeps no history and sends no events: an AddWatch whose after_zxid is below the first zxid this
     * fake hands out is answered "compacted", any other "added".
     */
    @Override
    public StreamObserver<WatchRequest> watch(StreamObserver<WatchResponse> o) {
      return new StreamObserver<>() {
        @Override
        public void onNext(WatchRequest r) {
          if (!r.hasAdd()) {
            return;
          }
          WatchResponse.Builder response = WatchResponse.newBuilder().setWatchId(r.getAdd().getWatchId());
          if (r.getAdd().getAfterZxid() < FIRST_ZXID) {
            response.setCompacted(true).setOldestZxid(FIRST_ZXID);
          } else {
            response.setAdded(true);
          }
          synchronized (o) {
            o.onNext(response.build());
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {
          synchronized (o) {
            o.onCompleted();
          }
        }
      };
    }
  }

  private final class AdminService extends AdminGrpc.AdminImplBase {
    @Override
    public void status(StatusRequest r, StreamObserver<StatusResponse> o) {
      answer(o, () -> StatusResponse.newBuilder()
          .setId("1").setRole(Role.LEADER).setLeaderId("1").setTerm(1)
          .setCommitIndex(zxid).setAppliedIndex(zxid).setLastZxid(zxid).setZnodeCount(tree.size())
          .build());
    }
  }
}
