package coord.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.DeleteAllRequest;
import coord.api.v1.DeleteRequest;
import coord.api.v1.ErrorCode;
import coord.api.v1.ExistsRequest;
import coord.api.v1.ExistsResponse;
import coord.api.v1.GetChildrenRequest;
import coord.api.v1.GetChildrenResponse;
import coord.api.v1.GetDataRequest;
import coord.api.v1.GetDataResponse;
import coord.api.v1.RequestId;
import coord.api.v1.SetDataRequest;
import coord.statemachine.proto.LogEntry;
import coord.statemachine.proto.Op;
import coord.statemachine.proto.OpResult;
import coord.statemachine.proto.Query;
import coord.statemachine.proto.QueryReply;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random op sequences, grouped into entries of 1..5 ops, applied through {@link EntryApplier} and to the
 * independent {@link TreeModel}: every result, every node and every read answer must agree, and the
 * bookkeeping (digest, node count, last zxid, applied index) must follow. Paths come from a small alphabet
 * (a, b, c under /, /a, /a/b), from the nodes that exist at that moment, or from a pool of invalid paths;
 * expected versions and data sizes hover around the real version and the limit.
 */
class TreeModelProperties {
  enum Kind { CREATE, CREATE_SEQUENTIAL, SET, DELETE, DELETE_ALL }

  /** Where an op's path comes from, resolved against the model when the op is built. */
  enum Target { LITERAL, EXISTING, CHILD_OF_EXISTING, INVALID }

  /** An expected version, relative to the node's version at that moment. */
  enum Version { ABSENT, ANY, EXACT, ABOVE, BELOW, FAR }

  record OpSpec(Kind kind, Target target, String literal, int pick, Version version, int dataLength,
      int requestId) {}

  record EntrySpec(List<OpSpec> ops, long timeStep, int indexGap, int maxDataBytes) {}

  /** A data length of AT_LIMIT + k means the entry's max_data_bytes + k. */
  static final int AT_LIMIT = 1000;

  static final List<String> INVALID_PATHS = List.of(
      "", "a", "/a/", "/a//b", "//", "/.", "/a/..", "/a\u0000", "/a\u0001b", "/\u0085", "/\uFFFE", "/b/./c");

  /** Two clients with four calls each, one empty client id (no dedup) and one too long. */
  static final List<RequestId> REQUEST_IDS = requestIds();

  private static List<RequestId> requestIds() {
    List<RequestId> ids = new ArrayList<>();
    for (String client : List.of("client-one-00001", "client-two-00002")) {
      for (int call = 1; call <= 4; call++) {
        ids.add(RequestId.newBuilder().setClientId(ByteString.copyFromUtf8(client)).setCallId(call).build());
      }
    }
    ids.add(RequestId.newBuilder().setCallId(1).build());
    ids.add(RequestId.newBuilder().setClientId(ByteString.copyFrom(new byte[65])).setCallId(1).build());
    return List.copyOf(ids);
  }

  @Property(tries = 400)
  void memoryStoreFollowsTheModel(@ForAll("entries") List<EntrySpec> entries) {
    try (MemoryKvStore store = new MemoryKvStore()) {
      new Run(List.of(store)).play(entries);
    }
    Statistics.label("result").coverage(c -> {
      for (ErrorCode code : List.of(ErrorCode.ERROR_CODE_UNSPECIFIED, ErrorCode.NO_NODE, ErrorCode.NODE_EXISTS,
          ErrorCode.BAD_VERSION, ErrorCode.NOT_EMPTY, ErrorCode.INVALID_PATH, ErrorCode.DATA_TOO_LARGE,
          ErrorCode.INVALID_ARGUMENT)) {
        c.check(code.name()).count(n -> n > 0);
      }
      c.check("dedup hit").count(n -> n > 0);
      c.check("deleteall>1").count(n -> n > 0);
    });
  }

  @Property(tries = 25)
  void rocksStoreMatchesMemoryStore(@ForAll("entries") List<EntrySpec> entries) throws IOException {
    Path dir = Files.createTempDirectory("coord-rocks-prop");
    try (MemoryKvStore memory = new MemoryKvStore(); RocksKvStore rocks = RocksKvStore.open(dir.resolve("db"))) {
      new Run(List.of(memory, rocks)).play(entries);
    } finally {
      SnapshotStore.deleteRecursively(dir);
    }
  }

  @Provide
  Arbitrary<List<EntrySpec>> entries() {
    return entry().list().ofMinSize(1).ofMaxSize(20);
  }

  private Arbitrary<EntrySpec> entry() {
    Arbitrary<Long> timeStep = Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.just(0L)), Tuple.of(6, Arbitraries.longs().between(1, 50)),
        // exactly the dedup retention (records kept) and just over it (records pruned)
        Tuple.of(2, Arbitraries.just(TreeModel.RETENTION_MS)),
        Tuple.of(2, Arbitraries.just(TreeModel.RETENTION_MS + 1)));
    Arbitrary<Integer> indexGap = Arbitraries.frequency(Tuple.of(9, 1), Tuple.of(1, 3));
    return Combinators.combine(op().list().ofMinSize(1).ofMaxSize(5), timeStep, indexGap, Arbitraries.of(4, 6))
        .as(EntrySpec::new);
  }

  private Arbitrary<OpSpec> op() {
    Arbitrary<Kind> kind = Arbitraries.frequency(
        Tuple.of(35, Kind.CREATE), Tuple.of(15, Kind.CREATE_SEQUENTIAL), Tuple.of(22, Kind.SET),
        Tuple.of(20, Kind.DELETE), Tuple.of(8, Kind.DELETE_ALL));
    Arbitrary<Target> target = Arbitraries.frequency(
        Tuple.of(25, Target.LITERAL), Tuple.of(40, Target.EXISTING), Tuple.of(30, Target.CHILD_OF_EXISTING),
        Tuple.of(5, Target.INVALID));
    Arbitrary<String> name = Arbitraries.of("a", "b", "c");
    Arbitrary<String> literal = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just("/")),
        Tuple.of(10, name.map(a -> "/" + a)),
        Tuple.of(6, Combinators.combine(name, name).as((a, b) -> "/" + a + "/" + b)),
        Tuple.of(3, Combinators.combine(name, name, name).as((a, b, c) -> "/" + a + "/" + b + "/" + c)));
    Arbitrary<Version> version = Arbitraries.frequency(
        Tuple.of(40, Version.ABSENT), Tuple.of(10, Version.ANY), Tuple.of(30, Version.EXACT),
        Tuple.of(8, Version.ABOVE), Tuple.of(7, Version.BELOW), Tuple.of(5, Version.FAR));
    Arbitrary<Integer> requestId = Arbitraries.frequencyOf(
        Tuple.of(75, Arbitraries.just(-1)), Tuple.of(22, Arbitraries.integers().between(0, 7)),
        Tuple.of(2, Arbitraries.just(8)), Tuple.of(1, Arbitraries.just(9)));
    // sizes at or over the entry's limit are drawn as AT_LIMIT + (0, 1 or 2): resolved when built
    Arbitrary<Integer> dataLength = Arbitraries.frequencyOf(Tuple.of(85, Arbitraries.integers().between(0, 4)),
        Tuple.of(15, Arbitraries.of(AT_LIMIT, AT_LIMIT + 1, AT_LIMIT + 2)));
    // picks an existing node (modulo their number) and seeds the data: uniform, no edge cases, so that
    // small values do not dominate
    Arbitrary<Integer> pick = Arbitraries.integers().between(0, 999)
        .withDistribution(RandomDistribution.uniform()).withoutEdgeCases();
    return Combinators.combine(kind, target, literal, pick, version, dataLength, requestId).as(OpSpec::new);
  }

  /** One run: the model, the stores under test, and the index and time of the next entry. */
  private static final class Run {
    private final TreeModel model = new TreeModel();
    private final List<KvStore> stores;
    private long index;
    private long time = 1_000_000;

    Run(List<KvStore> stores) {
      this.stores = stores;
    }

    void play(List<EntrySpec> entries) {
      for (EntrySpec spec : entries) {
        index += spec.indexGap();
        time += spec.timeStep();
        LogEntry.Builder entry = LogEntry.newBuilder().setTimeMs(time).setMaxDataBytes(spec.maxDataBytes());
        List<OpResult> expected = new ArrayList<>();
        for (OpSpec op : spec.ops()) {
          Op built = build(op, spec.maxDataBytes());
          entry.addOps(built);
          expected.add(model.applyOp(built, (index << 16) | expected.size(), time, spec.maxDataBytes()));
        }
        model.endEntry(index, entry.build());
        List<OpResult> first = null;
        for (KvStore store : stores) {
          EntryApplier.Result result = TestTrees.apply(store, index, entry.build());
          checkResults(entry.build(), expected, result);
          if (first == null) {
            first = result.results();
          } else {
            assertThat(result.results()).as("same results on every store").isEqualTo(first);
          }
          checkTree(store);
        }
      }
      for (KvStore store : stores) {
        checkQueries(store);
      }
      if (stores.size() > 1) {
        long[] digests = stores.stream().mapToLong(TreeModelProperties::digest).toArray();
        assertThat(Arrays.stream(digests).distinct().count()).as("digests %s", Arrays.toString(digests))
            .isEqualTo(1);
      }
    }

    private Op build(OpSpec s, int maxDataBytes) {
      // mostly a node other than the root: deleting the root is one error among many
      List<String> existing = new ArrayList<>(model.nodes.tailMap("/", false).keySet());
      String base = existing.isEmpty() || s.pick() % 20 == 0 ? "/" : existing.get(s.pick() % existing.size());
      String path = switch (s.target()) {
        case LITERAL -> s.literal();
        case EXISTING -> existing.isEmpty() ? s.literal() : base;
        case CHILD_OF_EXISTING -> (base.equals("/") ? "" : base) + "/" + "abc".charAt(s.pick() / 7 % 3);
        case INVALID -> INVALID_PATHS.get(s.pick() % INVALID_PATHS.size());
      };
      int length = s.dataLength() >= AT_LIMIT ? maxDataBytes + s.dataLength() - AT_LIMIT : s.dataLength();
      byte[] data = new byte[length];
      for (int i = 0; i < data.length; i++) {
        data[i] = (byte) (s.pick() + i);
      }
      ByteString bytes = ByteString.copyFrom(data);
      RequestId id = s.requestId() < 0 ? null : REQUEST_IDS.get(s.requestId());
      TreeModel.ModelNode node = model.nodes.get(path);
      int current = node == null ? 0 : node.version;
      Integer expectedVersion = switch (s.version()) {
        case ABSENT -> null;
        case ANY -> -1;
        case EXACT -> current;
        case ABOVE -> current + 1;
        case BELOW -> current - 1;
        case FAR -> current + 7;
      };
      Op.Builder op = Op.newBuilder();
      switch (s.kind()) {
        case CREATE, CREATE_SEQUENTIAL -> {
          CreateRequest.Builder r = CreateRequest.newBuilder().setPath(path).setData(bytes);
          if (s.kind() == Kind.CREATE_SEQUENTIAL) {
            r.setMode(CreateMode.PERSISTENT_SEQUENTIAL);
            // "/x/" names the child by its counter alone, "/x" makes a sibling "x0000000007"
            if (s.pick() % 2 == 0 && s.target() != Target.INVALID) {
              r.setPath(path.equals("/") ? "/" : path + "/");
            }
          }
          if (id != null) {
            r.setRequestId(id);
          }
          op.setCreate(r);
        }
        case SET -> {
          SetDataRequest.Builder r = SetDataRequest.newBuilder().setPath(path).setData(bytes);
          if (expectedVersion != null) {
            r.setExpectedVersion(expectedVersion);
          }
          if (id != null) {
            r.setRequestId(id);
          }
          op.setSetData(r);
        }
        case DELETE -> {
          DeleteRequest.Builder r = DeleteRequest.newBuilder().setPath(path);
          if (expectedVersion != null) {
            r.setExpectedVersion(expectedVersion);
          }
          if (id != null) {
            r.setRequestId(id);
          }
          op.setDelete(r);
        }
        case DELETE_ALL -> {
          DeleteAllRequest.Builder r = DeleteAllRequest.newBuilder().setPath(path);
          if (id != null) {
            r.setRequestId(id);
          }
          op.setDeleteAll(r);
        }
      }
      return op.build();
    }

    private void checkResults(LogEntry entry, List<OpResult> expected, EntryApplier.Result result) {
      assertThat(result.results()).hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        OpResult actual = result.results().get(i);
        String where = "op " + i + " of entry " + index + ": " + TestTrees.oneLine(entry.getOps(i));
        assertThat(actual.toBuilder().clearErrorMessage().build()).as(where).isEqualTo(expected.get(i));
        assertThat(actual.getErrorMessage().isEmpty()).as(where + " has a message iff it failed")
            .isEqualTo(actual.getError() == ErrorCode.ERROR_CODE_UNSPECIFIED);
        Statistics.label("result").collect(actual.getError().name());
        if (actual.getZxid() != ((index << 16) | i)) {
          Statistics.label("result").collect("dedup hit");
        }
        if (actual.getDeleteAll().getDeleted() > 1) {
          Statistics.label("result").collect("deleteall>1");
        }
      }
      assertThat(result.lastZxid()).isEqualTo(model.lastZxid);
    }

    private void checkTree(KvStore store) {
      try (KvReader reader = store.reader()) {
        ZTree tree = new ZTree(reader);
        assertThat(TestTrees.dump(tree)).as("tree after entry %d", index).isEqualTo(modelDump());
        assertThat(tree.digest()).as("incremental digest").isEqualTo(tree.scanDigest());
        assertThat(tree.nodeCount()).isEqualTo(model.nodes.size());
        assertThat(tree.lastZxid()).isEqualTo(model.lastZxid);
        assertThat(tree.applied()).containsExactly(TestTrees.TERM, index);
      }
    }

    private SortedMap<String, String> modelDump() {
      SortedMap<String, String> out = new TreeMap<>();
      model.nodes.forEach((path, n) -> {
        assertThat(n.numChildren).as("model's own child count of %s", path)
            .isEqualTo(model.children(path).size());
        out.put(path, TestTrees.oneLine(n.stat()) + " data=" + HexFormat.of().formatHex(n.data));
      });
      return out;
    }

    private void checkQueries(KvStore store) {
      List<String> paths = new ArrayList<>(model.nodes.keySet());
      paths.addAll(List.of("/zz", "/a/b/c/zz", "/a/x", "a", "/a/", ""));
      try (KvReader reader = store.reader()) {
        ZTree tree = new ZTree(reader);
        for (String path : paths) {
          TreeModel.ModelNode node = model.nodes.get(path);
          checkQuery(tree, Query.newBuilder().setGetData(GetDataRequest.newBuilder().setPath(path)).build(),
              path, node == null ? null : r -> r.setGetData(GetDataResponse.newBuilder()
                  .setData(ByteString.copyFrom(node.data)).setStat(node.stat())));
          checkQuery(tree, Query.newBuilder().setGetChildren(GetChildrenRequest.newBuilder().setPath(path)).build(),
              path, node == null ? null : r -> r.setGetChildren(GetChildrenResponse.newBuilder()
                  .addAllChildren(model.children(path)).setStat(node.stat())));
          ExistsResponse.Builder exists = ExistsResponse.newBuilder().setExists(node != null);
          if (node != null) {
            exists.setStat(node.stat());
          }
          checkQuery(tree, Query.newBuilder().setExists(ExistsRequest.newBuilder().setPath(path)).build(),
              path, r -> r.setExists(exists));
        }
      }
    }

    /** {@code answer} fills the expected reply when the path is valid; null means NO_NODE. */
    private void checkQuery(ZTree tree, Query query, String path,
        Consumer<QueryReply.Builder> answer) {
      QueryReply.Builder expected = QueryReply.newBuilder().setLastZxid(model.lastZxid);
      if (!TreeModel.validPath(path)) {
        expected.setError(ErrorCode.INVALID_PATH).setErrorPath(path);
      } else if (answer == null) {
        expected.setError(ErrorCode.NO_NODE).setErrorPath(path);
      } else {
        answer.accept(expected);
      }
      QueryReply actual = QueryHandler.answer(tree, query);
      assertThat(actual.toBuilder().clearErrorMessage().build()).as(TestTrees.oneLine(query))
          .isEqualTo(expected.build());
    }
  }

  private static long digest(KvStore store) {
    try (KvReader reader = store.reader()) {
      return new ZTree(reader).digest();
    }
  }
}
