package coord.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import coord.api.Errors;
import coord.api.v1.CoordGrpc;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.CreateResponse;
import coord.api.v1.ErrorCode;
import coord.api.v1.GetDataRequest;
import coord.api.v1.RequestId;
import coord.client.CoordClient;
import coord.client.CoordException;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC API as any language sees it, on one shared three-node cluster: errors, retries, services. */
class ApiTest {
  @TempDir static Path dir;
  static TestCluster cluster;
  static CoordClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = TestCluster.start(dir, 3);
    client = CoordClient.builder().endpoints(cluster.clientEndpoints()).requestTimeout(Duration.ofSeconds(20)).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static ManagedChannel channel(int node) {
    return NettyChannelBuilder.forTarget(cluster.clientEndpoint(node)).usePlaintext().build();
  }

  private static ErrorCode codeOf(Runnable call) {
    try {
      call.run();
    } catch (CoordException e) {
      return e.code();
    }
    throw new AssertionError("expected an error");
  }

  @Test
  void badInputGetsTypedErrorsAndLosesNothing() {
    client.create("/keep", "safe".getBytes(UTF_8), CreateMode.PERSISTENT);
    assertThat(codeOf(() -> client.create("no-slash", new byte[0], CreateMode.PERSISTENT)))
        .isEqualTo(ErrorCode.INVALID_PATH);
    assertThat(codeOf(() -> client.create("/a//b", new byte[0], CreateMode.PERSISTENT)))
        .isEqualTo(ErrorCode.INVALID_PATH);
    assertThat(codeOf(() -> client.create("/keep/", new byte[0], CreateMode.PERSISTENT)))
        .isEqualTo(ErrorCode.INVALID_PATH);
    assertThat(codeOf(() -> client.getData("/bad\u0000name"))).isEqualTo(ErrorCode.INVALID_PATH);
    assertThat(codeOf(() -> client.create("/missing/child", new byte[0], CreateMode.PERSISTENT)))
        .isEqualTo(ErrorCode.NO_NODE);
    assertThat(codeOf(() -> client.create("/keep", new byte[0], CreateMode.PERSISTENT)))
        .isEqualTo(ErrorCode.NODE_EXISTS);
    assertThat(codeOf(() -> client.create("/big", new byte[NodeConfig.DEFAULT_MAX_DATA_BYTES + 1],
        CreateMode.PERSISTENT))).isEqualTo(ErrorCode.DATA_TOO_LARGE);
    // far above the limit: refused by gRPC's message size limit, still a typed error
    assertThat(codeOf(() -> client.setData("/keep", new byte[3 * NodeConfig.DEFAULT_MAX_DATA_BYTES], -1)))
        .isEqualTo(ErrorCode.DATA_TOO_LARGE);
    assertThat(codeOf(() -> client.setData("/keep", new byte[0], 7))).isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(codeOf(() -> client.delete("/keep", 3))).isEqualTo(ErrorCode.BAD_VERSION);
    assertThat(codeOf(() -> client.delete("/", -1))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(codeOf(() -> client.deleteAll("/"))).isEqualTo(ErrorCode.INVALID_ARGUMENT);
    assertThat(codeOf(() -> client.getData("/unknown"))).isEqualTo(ErrorCode.NO_NODE);
    assertThat(codeOf(() -> client.delete("/unknown", -1))).isEqualTo(ErrorCode.NO_NODE);
    client.create("/keep/child", new byte[0], CreateMode.PERSISTENT);
    assertThat(codeOf(() -> client.delete("/keep", -1))).isEqualTo(ErrorCode.NOT_EMPTY);

    // the data limit is exact: a value of exactly the limit is fine
    client.create("/max", new byte[NodeConfig.DEFAULT_MAX_DATA_BYTES], CreateMode.PERSISTENT);
    assertThat(client.getData("/max").stat().getDataLength()).isEqualTo(NodeConfig.DEFAULT_MAX_DATA_BYTES);

    var keep = client.getData("/keep");
    assertThat(new String(keep.data(), UTF_8)).isEqualTo("safe");
    assertThat(keep.stat().getVersion()).isZero();
    assertThat(keep.stat().getNumChildren()).isEqualTo(1);
    cluster.awaitConverged();
  }

  @Test
  void errorsCarryErrorInfoForEveryLanguage() {
    ManagedChannel ch = channel(2);
    try {
      var stub = CoordGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> stub.getData(GetDataRequest.newBuilder().setPath("/nope").build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
            assertThat(Errors.fromThrowable(e)).isEqualTo(ErrorCode.NO_NODE);
            assertThat(Errors.pathOf(e)).isEqualTo("/nope");
            assertThat(e.getStatus().getDescription()).startsWith("NO_NODE");
          });
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void aRetriedWriteIsAppliedOnceThroughAnyNode() {
    client.create("/retry", new byte[0], CreateMode.PERSISTENT);
    RequestId id = RequestId.newBuilder()
        .setClientId(ByteString.copyFrom(UUID.randomUUID().toString().getBytes(UTF_8), 0, 16))
        .setCallId(42).build();
    CreateRequest req = CreateRequest.newBuilder().setPath("/retry/s-").setMode(CreateMode.PERSISTENT_SEQUENTIAL)
        .setRequestId(id).build();
    CreateResponse first;
    CreateResponse second;
    ManagedChannel a = channel(1);
    ManagedChannel b = channel(3);
    try {
      first = CoordGrpc.newBlockingStub(a).withDeadlineAfter(10, TimeUnit.SECONDS).create(req);
      second = CoordGrpc.newBlockingStub(b).withDeadlineAfter(10, TimeUnit.SECONDS).create(req);
    } finally {
      a.shutdownNow();
      b.shutdownNow();
    }
    assertThat(second.getPath()).isEqualTo(first.getPath()).isEqualTo("/retry/s-0000000000");
    assertThat(second.getStat()).isEqualTo(first.getStat());
    assertThat(client.getChildren("/retry").names()).containsExactly("s-0000000000");
  }

  @Test
  void healthServiceReportsServing() {
    ManagedChannel ch = channel(1);
    try {
      var health = HealthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
          health.check(HealthCheckRequest.newBuilder().setService(CoordGrpc.SERVICE_NAME).build()).getStatus()
              == HealthCheckResponse.ServingStatus.SERVING);
      HealthCheckResponse alive = health.check(HealthCheckRequest.newBuilder().setService("").build());
      assertThat(alive.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void serverReflectionListsTheServices() throws Exception {
    ManagedChannel ch = channel(2);
    try {
      java.util.concurrent.CompletableFuture<java.util.List<String>> names = new java.util.concurrent.CompletableFuture<>();
      var requests = io.grpc.reflection.v1.ServerReflectionGrpc.newStub(ch).serverReflectionInfo(
          new io.grpc.stub.StreamObserver<io.grpc.reflection.v1.ServerReflectionResponse>() {
            @Override
            public void onNext(io.grpc.reflection.v1.ServerReflectionResponse r) {
              names.complete(r.getListServicesResponse().getServiceList().stream()
                  .map(io.grpc.reflection.v1.ServiceResponse::getName).toList());
            }

            @Override
            public void onError(Throwable t) {
              names.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {}
          });
      requests.onNext(io.grpc.reflection.v1.ServerReflectionRequest.newBuilder().setListServices("*").build());
      assertThat(names.get(10, TimeUnit.SECONDS)).contains("coord.v1.Coord", "coord.v1.Admin", "grpc.health.v1.Health");
      requests.onCompleted();
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void zxidsAreMonotonicAndStatsFollowZooKeeper() {
    var created = client.create("/stat", "x".getBytes(UTF_8), CreateMode.PERSISTENT);
    var stat = created.stat();
    assertThat(stat.getCzxid()).isEqualTo(stat.getMzxid()).isEqualTo(stat.getPzxid()).isPositive();
    assertThat(stat.getCtime()).isEqualTo(stat.getMtime()).isPositive();
    var set = client.setData("/stat", "yy".getBytes(UTF_8), 0);
    assertThat(set.getMzxid()).isGreaterThan(stat.getMzxid());
    assertThat(set.getVersion()).isEqualTo(1);
    assertThat(set.getDataLength()).isEqualTo(2);
    var child = client.create("/stat/c", new byte[0], CreateMode.PERSISTENT);
    var parent = client.exists("/stat").orElseThrow();
    assertThat(parent.getPzxid()).isEqualTo(child.stat().getCzxid());
    assertThat(parent.getCversion()).isEqualTo(1);
    assertThat(parent.getNumChildren()).isEqualTo(1);
    assertThat(parent.getMzxid()).isEqualTo(set.getMzxid());
  }
}
