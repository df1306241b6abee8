package coord.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coord.api.Errors;
import coord.api.v1.CloseSessionRequest;
import coord.api.v1.CloseSessionResponse;
import coord.api.v1.ErrorCode;
import coord.api.v1.KeepAliveResponse;
import coord.api.v1.OpenSessionRequest;
import coord.api.v1.OpenSessionResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Session open, keep-alive, failover, expiry and close against scripted nodes. */
class SessionKeepAliveTest {
  private static final long ID = 0x5eed;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<SessionState> states = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  /** Opens sessions of {@code timeoutMs}, negotiated as asked; closes succeed. */
  private static Function<Object, Object> sessions(long timeoutMs) {
    return r -> {
      if (r instanceof OpenSessionRequest open) {
        return OpenSessionResponse.newBuilder().setSessionId(ID).setTimeoutMs(timeoutMs).build();
      }
      if (r instanceof CloseSessionRequest) {
        return CloseSessionResponse.getDefaultInstance();
      }
      throw Errors.toStatusException(ErrorCode.UNAVAILABLE, "not scripted", null);
    };
  }

  private FakeNode node(long timeoutMs) {
    FakeNode node = new FakeNode().answering(sessions(timeoutMs));
    node.keepAlive = r -> KeepAliveResponse.newBuilder().setSessionId(r.getSessionId()).setTimeoutMs(timeoutMs).build();
    toClose.add(node);
    return node;
  }

  private CoordClient client(String... endpoints) {
    CoordClient client = CoordClient.builder().endpoints(List.of(endpoints)).build();
    toClose.add(0, client);
    return client;
  }

  @Test
  void opensWithTheNegotiatedTimeoutAndSendsAKeepAliveEveryThirdOfIt() throws Exception {
    FakeNode node = node(300);
    CoordClient client = client(node.endpoint());

    CoordSession session = client.openSession(Duration.ofSeconds(30), states::add);

    assertThat(((OpenSessionRequest) node.requests.get(0)).getTimeoutMs()).isEqualTo(30_000);
    assertThat(((OpenSessionRequest) node.requests.get(0)).getRequestId().getCallId()).isPositive();
    assertThat(session.id()).isEqualTo(ID);
    assertThat(session.timeout()).isEqualTo(Duration.ofMillis(300));
    assertThat(session.state()).isEqualTo(SessionState.CONNECTED);
    await().atMost(WAIT).until(() -> states.equals(List.of(SessionState.CONNECTED)));
    long start = System.nanoTime();
    for (int i = 0; i < 6; i++) {
      assertThat(node.keepAlives.poll(5, TimeUnit.SECONDS)).isNotNull().extracting(r -> r.getSessionId()).isEqualTo(ID);
    }
    // one at once, then every 100 ms: six take about half a second, not a whole timeout each.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
    assertThat(node.keepAliveStreams).hasSize(1);
  }

  @Test
  void failsOverToTheNextNodeWhenTheStreamBreaks() throws Exception {
    FakeNode a = node(300);
    FakeNode b = node(300);
    CoordClient client = client(a.endpoint(), b.endpoint());
    CoordSession session = client.openSession(Duration.ofMillis(300), states::add);
    assertThat(a.keepAlives.poll(5, TimeUnit.SECONDS)).isNotNull();

    a.close();

    await().atMost(WAIT).until(() -> states.equals(
        List.of(SessionState.CONNECTED, SessionState.SUSPENDED, SessionState.RECONNECTED)));
    assertThat(session.state()).isEqualTo(SessionState.RECONNECTED);
    assertThat(b.keepAlives.poll(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(b.keepAlives.poll(5, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void failsOverWhenKeepAlivesGoUnanswered() throws Exception {
    FakeNode a = node(300);
    FakeNode b = node(300);
    CoordClient client = client(a.endpoint(), b.endpoint());
    client.openSession(Duration.ofMillis(300), states::add);
    assertThat(a.keepAlives.poll(5, TimeUnit.SECONDS)).isNotNull();

    a.keepAlive = r -> null; // a hangs

    await().atMost(WAIT).until(() -> states.contains(SessionState.RECONNECTED));
    assertThat(states).containsExactly(SessionState.CONNECTED, SessionState.SUSPENDED, SessionState.RECONNECTED);
    assertThat(b.keepAlives.poll(5, TimeUnit.SECONDS)).isNotNull();
  }

  @Test
  void expiresWhenAServerSaysSoAndStopsSending() throws Exception {
    FakeNode node = node(300);
    CoordClient client = client(node.endpoint());
    CoordSession session = client.openSession(Duration.ofMillis(300), states::add);
    assertThat(node.keepAlives.poll(5, TimeUnit.SECONDS)).isNotNull();

    node.keepAlive = r -> KeepAliveResponse.newBuilder().setSessionId(r.getSessionId()).setExpired(true).build();

    await().atMost(WAIT).until(() -> session.state() == SessionState.EXPIRED);
    await().atMost(WAIT).until(() -> states.equals(List.of(SessionState.CONNECTED, SessionState.EXPIRED)));
    node.keepAlives.clear();
    assertThat(node.keepAlives.poll(500, TimeUnit.MILLISECONDS)).as("no keep-alive after expiry").isNull();
    session.close(); // nothing to do
    assertThat(session.state()).isEqualTo(SessionState.EXPIRED);
    assertThat(node.requests).noneMatch(CloseSessionRequest.class::isInstance);
  }

  @Test
  void closeSendsCloseSessionOnceAndStopsTheKeepAlive() throws Exception {
    FakeNode node = node(300);
    CoordClient client = client(node.endpoint());
    CoordSession session = client.openSession(Duration.ofMillis(300), states::add);

    session.close();
    session.close();

    assertThat(session.state()).isEqualTo(SessionState.CLOSED);
    assertThat(node.requests).filteredOn(CloseSessionRequest.class::isInstance)
        .singleElement().extracting(r -> ((CloseSessionRequest) r).getSessionId()).isEqualTo(ID);
    await().atMost(WAIT).until(() -> states.equals(List.of(SessionState.CONNECTED, SessionState.CLOSED)));
    node.keepAlives.clear();
    assertThat(node.keepAlives.poll(500, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void closingTheClientClosesItsSessions() {
    FakeNode node = node(3000);
    CoordClient client = CoordClient.builder().endpoints(node.endpoint()).build();
    CoordSession session = client.openSession(Duration.ofSeconds(3), states::add);

    client.close();

    assertThat(session.state()).isEqualTo(SessionState.CLOSED);
    assertThat(node.requests).filteredOn(CloseSessionRequest.class::isInstance).hasSize(1);
  }

  @Test
  void aStoppedKeepAliveLeavesTheSessionToExpire() throws Exception {
    FakeNode node = node(300);
    CoordClient client = client(node.endpoint());
    CoordSession session = client.openSession(Duration.ofMillis(300), states::add);

    session.stopKeepAlive();
    node.keepAlives.poll(200, TimeUnit.MILLISECONDS); // one may have been on its way
    node.keepAlives.clear();

    assertThat(node.keepAlives.poll(500, TimeUnit.MILLISECONDS)).isNull();
    client.close();
    assertThat(node.requests).noneMatch(CloseSessionRequest.class::isInstance);
  }
}
