package coord.api;

import static org.assertj.core.api.Assertions.assertThat;

import coord.api.v1.ErrorCode;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import org.junit.jupiter.api.Test;

class ErrorsTest {
  /** What the trailers of a status weigh on the wire, roughly: every key and value. */
  private static int trailerBytes(StatusRuntimeException e) {
    Metadata trailers = Status.trailersFromThrowable(e);
    byte[] details = trailers.get(Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER));
    // grpc-message is percent-encoded: at most 3 bytes on the wire per byte of UTF-8
    String description = e.getStatus().getDescription();
    return 4 * details.length / 3 + 3 * description.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  @Test
  void anErrorAboutAVeryLongPathStillFitsInTheTrailersClientsAccept() {
    String path = "/" + "\u00e9".repeat(200_000);
    StatusRuntimeException e = Errors.toStatusException(ErrorCode.NO_NODE,
        "node does not exist: '" + path + "'", path);

    assertThat(trailerBytes(e)).isLessThan(8 * 1024);
    assertThat(Errors.fromThrowable(e)).isEqualTo(ErrorCode.NO_NODE);
    assertThat(Errors.pathOf(e)).startsWith(path.substring(0, 200)).endsWith("...(200001 chars)");
    assertThat(e.getStatus().getDescription()).startsWith("NO_NODE: node does not exist: '/\u00e9");
  }

  @Test
  void shortMessagesAndPathsTravelUnchanged() {
    StatusRuntimeException e = Errors.toStatusException(ErrorCode.BAD_VERSION, "expected 3", "/a/b");
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(e.getStatus().getDescription()).isEqualTo("BAD_VERSION: expected 3");
    assertThat(Errors.pathOf(e)).isEqualTo("/a/b");
  }

  @Test
  void aCutNeverSplitsASurrogatePair() {
    String path = "/" + "x".repeat(Errors.MAX_ECHOED_CHARS - 2) + "\ud83d\ude00" + "y".repeat(10);
    String cut = Errors.pathOf(Errors.toStatusException(ErrorCode.INVALID_PATH, "bad", path));
    assertThat(cut).doesNotContain("\ud83d").startsWith("/" + "x".repeat(Errors.MAX_ECHOED_CHARS - 2));
  }

  @Test
  void aRetryHereHintTravelsWithTheCodeAndPath() {
    StatusRuntimeException hinted = Errors.toStatusException(ErrorCode.UNAVAILABLE, "leader changed", "/a", true);
    assertThat(Errors.fromThrowable(hinted)).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(Errors.pathOf(hinted)).isEqualTo("/a");
    assertThat(Errors.retryHere(hinted)).isTrue();
    assertThat(Errors.retryHere(Errors.toStatusException(ErrorCode.UNAVAILABLE, "no leader", null))).isFalse();
    assertThat(Errors.retryHere(io.grpc.Status.UNAVAILABLE.asRuntimeException())).isFalse();
  }
}
