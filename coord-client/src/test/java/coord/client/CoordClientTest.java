package coord.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import coord.api.Errors;
import coord.api.v1.Consistency;
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
import coord.api.v1.GetChildrenResponse;
import coord.api.v1.GetDataRequest;
import coord.api.v1.GetDataResponse;
import coord.api.v1.RequestId;
import coord.api.v1.Role;
import coord.api.v1.SetDataRequest;
import coord.api.v1.SetDataResponse;
import coord.api.v1.Stat;
import coord.api.v1.StatusResponse;
import coord.api.v1.SyncResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CoordClientTest {
  private static final Stat STAT = Stat.newBuilder().setCzxid(7).setVersion(2).setDataLength(5).build();

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private FakeNode node(Function<Object, Object> handler) {
    FakeNode node = new FakeNode().answering(handler);
    toClose.add(node);
    return node;
  }

  private CoordClient client(Duration timeout, String... endpoints) {
    return client(timeout, Duration.ofSeconds(5), endpoints);
  }

  private CoordClient client(Duration timeout, Duration attemptTimeout, String... endpoints) {
    CoordClient client = CoordClient.builder()
        .endpoints(List.of(endpoints))
        .requestTimeout(timeout)
        .attemptTimeout(attemptTimeout)
        .build();
    toClose.add(0, client);
    return client;
  }

  private static Object fail(ErrorCode code, String path) {
    throw Errors.toStatusException(code, path == null ? "failed" : path, path);
  }

  private static Object data(Object request) {
    return GetDataResponse.newBuilder()
        .setData(ByteString.copyFromUtf8("hello"))
        .setStat(STAT)
        .build();
  }

  @Test
  void failsOverFromAnUnavailableNodeToTheNextAndStaysThere() {
    FakeNode a = node(r -> fail(ErrorCode.UNAVAILABLE, null));
    FakeNode b = node(CoordClientTest::data);
    CoordClient client = client(Duration.ofSeconds(5), a.endpoint(), b.endpoint());

    NodeData first = client.getData("/a");
    NodeData second = client.getData("/a", Consistency.STALE);

    assertThat(new String(first.data(), StandardCharsets.UTF_8)).isEqualTo("hello");
    assertThat(first.stat()).isEqualTo(STAT);
    assertThat(second.stat()).isEqualTo(STAT);
    assertThat(a.calls()).isEqualTo(1);
    assertThat(b.calls()).isEqualTo(2);
    assertThat(((GetDataRequest) b.requests.get(1)).getConsistency()).isEqualTo(Consistency.STALE);
  }

  /** A member whose write lost its leader on the way asks to be retried; the next one may be down. */
  @Test
  void retriesAtTheSameNodeWhenItAsksTo() {
    java.util.concurrent.atomic.AtomicInteger answers = new java.util.concurrent.atomic.AtomicInteger();
    FakeNode a = node(r -> {
      if (answers.getAndIncrement() == 0) {
        throw Errors.toStatusException(ErrorCode.UNAVAILABLE, "leader changed", null, true);
      }
      return data(r);
    });
    FakeNode b = node(CoordClientTest::data);
    CoordClient client = client(Duration.ofSeconds(5), a.endpoint(), b.endpoint());

    assertThat(client.getData("/a").stat()).isEqualTo(STAT);
    assertThat(a.calls()).isEqualTo(2);
    assertThat(b.calls()).isZero();
  }

  @Test
  void failsOverFromAnEndpointWhereNothingListens() throws Exception {
    String down = node(r -> null).stop();
    FakeNode b = node(CoordClientTest::data);
    CoordClient client = client(Duration.ofSeconds(5), down, b.endpoint());

    assertThat(client.getData("/a").stat()).isEqualTo(STAT);
    assertThat(b.calls()).isEqualTo(1);
  }

  @Test
  void retriedWriteCarriesTheSameRequestId() {
    FakeNode a = node(r -> fail(ErrorCode.UNAVAILABLE, null));
    FakeNode b = node(r -> CreateResponse.newBuilder().setPath("/q0000000000").setStat(STAT).build());
    CoordClient client = client(Duration.ofSeconds(5), a.endpoint(), b.endpoint());

    Created created = client.create("/q", "x".getBytes(StandardCharsets.UTF_8), CreateMode.PERSISTENT_SEQUENTIAL);
    client.create("/q", null, CreateMode.PERSISTENT_SEQUENTIAL);

    assertThat(created).isEqualTo(new Created("/q0000000000", STAT));
    CreateRequest sentToA = (CreateRequest) a.requests.get(0);
    CreateRequest retriedOnB = (CreateRequest) b.requests.get(0);
    CreateRequest next = (CreateRequest) b.requests.get(1);
    assertThat(retriedOnB).isEqualTo(sentToA);
    assertThat(sentToA.getMode()).isEqualTo(CreateMode.PERSISTENT_SEQUENTIAL);
    RequestId id = sentToA.getRequestId();
    assertThat(id.getClientId().size()).isEqualTo(16);
    assertThat(id.getClientId()).isEqualTo(client.clientId());
    assertThat(next.getRequestId().getClientId()).isEqualTo(id.getClientId());
    assertThat(next.getRequestId().getCallId()).isGreaterThan(id.getCallId());
    assertThat(next.getData()).isEqualTo(ByteString.EMPTY);
  }

  @Test
  void writeRetriedAfterAnAttemptTimesOutKeepsItsRequestId() {
    FakeNode a = node(r -> FakeNode.HANG);
    FakeNode b = node(r -> SetDataResponse.newBuilder().setStat(STAT).build());
    CoordClient client = client(Duration.ofSeconds(10), Duration.ofMillis(300), a.endpoint(), b.endpoint());

    assertThat(client.setData("/a", new byte[] {1}, 2)).isEqualTo(STAT);

    SetDataRequest first = (SetDataRequest) a.requests.get(0);
    SetDataRequest retry = (SetDataRequest) b.requests.get(0);
    assertThat(retry.getRequestId()).isEqualTo(first.getRequestId());
    assertThat(retry.getExpectedVersion()).isEqualTo(2);
  }

  @Test
  void anyVersionIsSentAsAnAbsentExpectedVersion() {
    FakeNode a = node(r -> r instanceof SetDataRequest
        ? SetDataResponse.newBuilder().setStat(STAT).build()
        : DeleteResponse.getDefaultInstance());
    CoordClient client = client(Duration.ofSeconds(5), a.endpoint());

    client.setData("/a", new byte[0], -1);
    client.delete("/a", -1);
    client.delete("/a", 0);

    assertThat(((SetDataRequest) a.requests.get(0)).hasExpectedVersion()).isFalse();
    assertThat(((DeleteRequest) a.requests.get(1)).hasExpectedVersion()).isFalse();
    assertThat(((DeleteRequest) a.requests.get(2)).getExpectedVersion()).isZero();
    assertThat(((DeleteRequest) a.requests.get(2)).getRequestId().getCallId())
        .isGreaterThan(((DeleteRequest) a.requests.get(1)).getRequestId().getCallId());
  }

  static Stream<Arguments> businessErrors() {
    return Stream.of(
        Arguments.of(ErrorCode.NO_NODE, "/a"),
        Arguments.of(ErrorCode.NODE_EXISTS, "/a"),
        Arguments.of(ErrorCode.BAD_VERSION, "/a/b"),
        Arguments.of(ErrorCode.NOT_EMPTY, "/a"),
        Arguments.of(ErrorCode.INVALID_PATH, "a//"),
        Arguments.of(ErrorCode.INVALID_ARGUMENT, null),
        Arguments.of(ErrorCode.INTERNAL, null));
  }

  @ParameterizedTest
  @MethodSource("businessErrors")
  void businessErrorsAreNotRetried(ErrorCode code, String path) {
    FakeNode a = node(r -> fail(code, path));
    FakeNode b = node(r -> DeleteResponse.getDefaultInstance());
    CoordClient client = client(Duration.ofSeconds(5), a.endpoint(), b.endpoint());

    assertThatThrownBy(() -> client.delete("/a", 3))
        .isInstanceOfSatisfying(CoordException.class, e -> {
          assertThat(e.code()).isEqualTo(code);
          assertThat(e.path()).isEqualTo(path);
          assertThat(e.getMessage()).startsWith(code.name() + ": ");
        });
    assertThat(a.calls()).isEqualTo(1);
    assertThat(b.calls()).isZero();
  }

  @Test
  void noNodeMessageNamesThePath() {
    FakeNode a = node(r -> fail(ErrorCode.NO_NODE, "/a"));
    CoordClient client = client(Duration.ofSeconds(5), a.endpoint());

    assertThatThrownBy(() -> client.getData("/a")).hasMessage("NO_NODE: /a");
  }

  @Test
  void asyncCallsCompleteExceptionallyWithCoordException() {
    FakeNode a = node(r -> fail(ErrorCode.NODE_EXISTS, "/a"));
    CoordClient client = client(Duration.ofSeconds(5), a.endpoint());

    CompletableFuture<Created> future = client.createAsync("/a", new byte[0], CreateMode.PERSISTENT);

    assertThat(future).failsWithin(Duration.ofSeconds(5))
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .havingCause()
        .isInstanceOfSatisfying(CoordException.class, e -> {
          assertThat(e.code()).isEqualTo(ErrorCode.NODE_EXISTS);
          assertThat(e.path()).isEqualTo("/a");
        });
  }

  @Test
  void givesUpWithUnavailableWhenEveryNodeIsUnavailableWithinTheBudget() {
    FakeNode a = node(r -> fail(ErrorCode.UNAVAILABLE, null));
    FakeNode b = node(r -> fail(ErrorCode.UNAVAILABLE, null));
    CoordClient client = client(Duration.ofSeconds(1), a.endpoint(), b.endpoint());

    long start = System.nanoTime();
    assertThatThrownBy(() -> client.exists("/a"))
        .isInstanceOfSatisfying(CoordException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessageContaining("gave up after");
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(elapsedMs).isLessThan(1000 + 1000);
    assertThat(a.calls()).isPositive();
    assertThat(b.calls()).isPositive();
    assertThat(a.calls() + b.calls()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void givesUpWithTimeoutWhenNoNodeAnswersWithinTheBudget() {
    FakeNode a = node(r -> FakeNode.HANG);
    FakeNode b = node(r -> FakeNode.HANG);
    CoordClient client = CoordClient.builder()
        .endpoints(a.endpoint() + "," + b.endpoint())
        .requestTimeout(Duration.ofMillis(300))
        .build();
    toClose.add(0, client);
    // the default attempt timeout (5 s) is longer than the budget: the budget wins

    long start = System.nanoTime();
    assertThatThrownBy(() -> client.deleteAll("/a"))
        .isInstanceOfSatisfying(CoordException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT));
    long elapsedMs = (System.nanoTime() - start) / 1_000_000;

    assertThat(elapsedMs).isBetween(250L, 300L + 1000L);
    assertThat(a.calls() + b.calls()).isEqualTo(1);
  }

  @Test
  void mapsEveryCallToItsResponse() {
    Stat parent = Stat.newBuilder().setNumChildren(2).build();
    FakeNode a = node(r -> {
      if (r instanceof ExistsRequest e) {
        return e.getPath().equals("/yes")
            ? ExistsResponse.newBuilder().setExists(true).setStat(STAT).build()
            : ExistsResponse.newBuilder().setExists(false).build();
      }
      if (r instanceof DeleteAllRequest) {
        return DeleteAllResponse.newBuilder().setDeleted(3).build();
      }
      if (r instanceof coord.api.v1.GetChildrenRequest) {
        return GetChildrenResponse.newBuilder().addChildren("a").addChildren("b").setStat(parent).build();
      }
      return SyncResponse.getDefaultInstance();
    });
    CoordClient client = client(Duration.ofSeconds(5), a.endpoint());

    assertThat(client.exists("/yes")).contains(STAT);
    assertThat(client.exists("/no", Consistency.STALE)).isEmpty();
    assertThat(client.deleteAll("/x")).isEqualTo(3);
    assertThat(client.getChildren("/")).isEqualTo(new Children(List.of("a", "b"), parent));
    client.sync("/");
    assertThat(((DeleteAllRequest) a.requests.get(2)).getRequestId().getClientId().size()).isEqualTo(16);
  }

  @Test
  void statusAsksExactlyThatEndpoint() {
    StatusResponse leader = StatusResponse.newBuilder().setId("2").setRole(Role.LEADER).setLeaderId("2").build();
    FakeNode a = node(r -> fail(ErrorCode.UNAVAILABLE, null));
    FakeNode b = node(r -> leader);
    CoordClient client = client(Duration.ofSeconds(5), a.endpoint(), b.endpoint());

    assertThatThrownBy(() -> client.status(a.endpoint()))
        .isInstanceOfSatisfying(CoordException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    assertThat(client.status(b.endpoint())).isEqualTo(leader);
    assertThat(a.calls()).isEqualTo(1);
    assertThat(b.calls()).isEqualTo(1);
  }

  @Test
  void aClosedClientFailsItsCalls() {
    FakeNode a = node(CoordClientTest::data);
    CoordClient client = client(Duration.ofSeconds(5), a.endpoint());
    client.getData("/a");
    client.close();
    client.close();

    assertThatThrownBy(() -> client.getData("/a"))
        .isInstanceOfSatisfying(CoordException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
        .hasMessageContaining("closed");
  }

  @Test
  void callbacksMayMakePlainCallsOfTheSameClient() {
    FakeNode a = node(CoordClientTest::data);
    CoordClient client = client(Duration.ofSeconds(10), a.endpoint());
    // more callbacks blocked at once than the callback pool has threads: the pool must add threads
    int outer = 8 * Math.max(2, Runtime.getRuntime().availableProcessors());

    List<CompletableFuture<byte[]>> chained = new ArrayList<>();
    for (int i = 0; i < outer; i++) {
      chained.add(client.getDataAsync("/a", Consistency.STALE).thenApply(d -> client.getData("/b").data()));
    }

    assertThat(CompletableFuture.allOf(chained.toArray(CompletableFuture[]::new)))
        .succeedsWithin(Duration.ofSeconds(30));
    assertThat(chained).allSatisfy(f -> assertThat(f.join()).asString(StandardCharsets.UTF_8).isEqualTo("hello"));
    assertThat(a.calls()).isEqualTo(2 * outer);
  }

  @Test
  void answersArriveOnTheCallersExecutorWhichCloseLeavesRunning() throws Exception {
    FakeNode a = node(CoordClientTest::data);
    ExecutorService mine = Executors.newFixedThreadPool(2);
    AtomicInteger tasks = new AtomicInteger();
    try {
      CoordClient client = CoordClient.builder()
          .endpoints(a.endpoint())
          .callbackExecutor(r -> {
            tasks.incrementAndGet();
            mine.execute(r);
          })
          .build();
      assertThat(client.getData("/a").data()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
      assertThat(tasks.get()).isPositive();
      client.close();

      assertThat(client.callbackPoolShutDown()).isFalse();
      assertThat(mine.submit(() -> "still running")).succeedsWithin(Duration.ofSeconds(5));
    } finally {
      mine.shutdownNow();
    }
  }

  @Test
  void closeShutsDownTheClientsOwnCallbackPool() {
    FakeNode a = node(CoordClientTest::data);
    CoordClient client = client(Duration.ofSeconds(5), a.endpoint());
    client.getData("/a");

    client.close();

    assertThat(client.callbackPoolShutDown()).isTrue();
  }

  @Test
  void normalizesEndpointsAndRejectsInvalidOnes() {
    try (CoordClient c = CoordClient.builder().endpoints(" 127.0.0.1:2281, localhost:2282,[::1]:2283,").build()) {
      assertThat(c.endpoints()).containsExactly("127.0.0.1:2281", "localhost:2282", "[::1]:2283");
    }
    for (String bad : List.of("", " , ", "host", "host:", ":2281", "host:0", "host:65536", "host:x",
        "http://host:1", "a b:1", "::1:2281", "[::1]2281")) {
      assertThatThrownBy(() -> CoordClient.builder().endpoints(bad).build())
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> CoordClient.builder().build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CoordClient.builder().requestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
