package coord.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.common.util.concurrent.ListenableFuture;
import coord.api.v1.Consistency;
import coord.api.v1.CoordGrpc;
import coord.api.v1.CreateRequest;
import coord.api.v1.CreateResponse;
import coord.api.v1.GetChildrenRequest;
import coord.api.v1.GetChildrenResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child list larger than any Raft message is still served by linearizable reads. */
class LargeChildListTest {
  @TempDir Path dir;

  @Test
  void aLinearizableGetChildrenAnswersEvenAboveTheRaftMessageLimit() throws Exception {
    int children = 36; // names of ~1 MB each: ~36 MB of names, above Ratis' 32 MB message limit
    try (TestCluster cluster = TestCluster.start(dir, 1)) {
      ManagedChannel ch = NettyChannelBuilder.forTarget(cluster.clientEndpoint(1)).usePlaintext()
          .maxInboundMessageSize(128 << 20).build();
      try {
        var stub = CoordGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS);
        stub.create(CreateRequest.newBuilder().setPath("/w").build());
        List<ListenableFuture<CreateResponse>> creates = new ArrayList<>();
        String longName = "n".repeat(NodeConfig.DEFAULT_MAX_DATA_BYTES - 100);
        for (int i = 0; i < children; i++) {
          creates.add(CoordGrpc.newFutureStub(ch).withDeadlineAfter(120, TimeUnit.SECONDS)
              .create(CreateRequest.newBuilder().setPath("/w/" + i + "-" + longName).build()));
        }
        for (var c : creates) {
          c.get(180, TimeUnit.SECONDS);
        }

        GetChildrenResponse linearizable = CoordGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
            .getChildren(GetChildrenRequest.newBuilder().setPath("/w").build());
        GetChildrenResponse stale = CoordGrpc.newBlockingStub(ch).withDeadlineAfter(60, TimeUnit.SECONDS)
            .getChildren(GetChildrenRequest.newBuilder().setPath("/w").setConsistency(Consistency.STALE).build());

        assertThat(linearizable.getSerializedSize()).isGreaterThan(32 << 20);
        assertThat(linearizable.getChildrenCount()).isEqualTo(children);
        assertThat(linearizable.getChildrenList()).isEqualTo(stale.getChildrenList());
        assertThat(linearizable.getStat().getNumChildren()).isEqualTo(children);
      } finally {
        ch.shutdownNow();
      }
    }
  }
}
