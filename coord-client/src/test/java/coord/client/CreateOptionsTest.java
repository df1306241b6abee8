package coord.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.CreateResponse;
import coord.api.v1.OpenSessionResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CreateOptionsTest {
  private final FakeNode node = new FakeNode().answering(r -> {
    if (r instanceof CreateRequest c) {
      return CreateResponse.newBuilder().setPath(c.getPath()).build();
    }
    return OpenSessionResponse.newBuilder().setSessionId(0x1234).setTimeoutMs(3000).build();
  });
  private final CoordClient client = CoordClient.builder().endpoints(node.endpoint()).build();

  @AfterEach
  void close() {
    client.close();
    node.close();
  }

  @Test
  void optionsAreImmutableAndCombine() {
    CoordSession session = client.openSession(Duration.ofSeconds(3), null);
    CreateOptions none = CreateOptions.none();
    CreateOptions withTtl = none.ttl(Duration.ofSeconds(5));
    CreateOptions both = withTtl.session(session);

    assertThat(none.session()).isEmpty();
    assertThat(none.ttl()).isEmpty();
    assertThat(withTtl.ttl()).contains(Duration.ofSeconds(5));
    assertThat(withTtl.session()).isEmpty();
    assertThat(both.session()).containsSame(session);
    assertThat(both.ttl()).contains(Duration.ofSeconds(5));
    assertThat(both).isEqualTo(CreateOptions.none().session(session).ttl(Duration.ofSeconds(5)));
    assertThat(both.toString()).contains("0x1234", "5000ms");
  }

  @Test
  void ttlMustBeWithinZooKeepersBounds() {
    assertThatThrownBy(() -> CreateOptions.none().ttl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CreateOptions.none().ttl(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CreateOptions.none().ttl(CreateOptions.MAX_TTL.plusMillis(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(CreateOptions.none().ttl(CreateOptions.MAX_TTL).ttl()).contains(CreateOptions.MAX_TTL);
  }

  @Test
  void optionsThatDoNotFitTheModeAreRejectedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> client.create("/e", null, CreateMode.EPHEMERAL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a session");
    assertThatThrownBy(() -> client.createAsync("/e", null, CreateMode.EPHEMERAL_SEQUENTIAL, CreateOptions.none()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a session");
    assertThatThrownBy(() -> client.create("/t", null, CreateMode.PERSISTENT_WITH_TTL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a TTL");
    assertThatThrownBy(() -> client.create("/t", null, CreateMode.PERSISTENT,
        CreateOptions.none().ttl(Duration.ofSeconds(1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a TTL needs mode");
    assertThat(node.requests).isEmpty();
  }

  @Test
  void sessionAndTtlTravelInTheRequest() {
    CoordSession session = client.openSession(Duration.ofSeconds(3), null);
    session.create("/e", null, CreateMode.EPHEMERAL);
    client.create("/t", null, CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL,
        CreateOptions.none().ttl(Duration.ofMillis(1500)));
    client.create("/c", null, CreateMode.CONTAINER);
    client.create("/p", null, CreateMode.PERSISTENT, CreateOptions.none().session(session));

    List<CreateRequest> creates = node.requests.stream()
        .filter(CreateRequest.class::isInstance).map(CreateRequest.class::cast).toList();
    assertThat(creates).extracting(CreateRequest::getPath, CreateRequest::getMode, CreateRequest::getSessionId,
        CreateRequest::getTtlMs).containsExactly(
            org.assertj.core.groups.Tuple.tuple("/e", CreateMode.EPHEMERAL, 0x1234L, 0L),
            org.assertj.core.groups.Tuple.tuple("/t", CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, 0L, 1500L),
            org.assertj.core.groups.Tuple.tuple("/c", CreateMode.CONTAINER, 0L, 0L),
            org.assertj.core.groups.Tuple.tuple("/p", CreateMode.PERSISTENT, 0x1234L, 0L));
  }
}
