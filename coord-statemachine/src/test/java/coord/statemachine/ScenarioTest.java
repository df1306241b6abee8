package coord.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import coord.api.v1.CreateMode;
import coord.api.v1.CreateRequest;
import coord.api.v1.DeleteAllRequest;
import coord.api.v1.DeleteRequest;
import coord.api.v1.ErrorCode;
import coord.api.v1.ExistsRequest;
import coord.api.v1.GetChildrenRequest;
import coord.api.v1.GetDataRequest;
import coord.api.v1.RequestId;
import coord.api.v1.SetDataRequest;
import coord.api.v1.Stat;
import coord.statemachine.proto.LogEntry;
import coord.statemachine.proto.Op;
import coord.statemachine.proto.OpResult;
import coord.statemachine.proto.Query;
import coord.statemachine.proto.QueryReply;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Data-driven scenarios (etcd's datadriven style): each {@code src/test/resources/scenarios/*.txt} is a
 * transcript of blocks, separated by a blank line; '#' lines between blocks are comments.
 *
 * <pre>
 * create -s /jobs/job- hello       a command (an "entry" block lists one op per line)
 * ----
 * 2.0 created /jobs/job-0000000000  the output it must print
 *     czxid=2.0 ...
 * </pre>
 *
 * <p>Each write command is one log entry at the next index (term 1); {@code entry} groups the op lines
 * that follow it into one entry. zxids print as {@code index.position}. Commands:
 * {@code create [-s] [-i CLIENT:CALL] PATH [DATA]}, {@code set [-v N] [-i ..] PATH [DATA]},
 * {@code delete [-v N] [-i ..] PATH}, {@code deleteall [-i ..] PATH}, {@code get PATH}, {@code ls PATH},
 * {@code stat PATH}, {@code tree}, {@code time MS} (stamp of the following entries, initially 1000),
 * {@code max-data-bytes N} (initially 1024). Arguments may be double-quoted and use {@code \\uXXXX}.
 * After every entry the runner checks that the incremental digest equals a full scan.
 *
 * <p>Run with {@code -Dscenarios.rewrite=true} to write the actual output back into the source files
 * (a command may be written without its {@code ----} section and filled in this way).
 */
class ScenarioTest {
  private static final Path DIR =
      Path.of(System.getProperty("basedir", "."), "src", "test", "resources", "scenarios");
  private static final boolean REWRITE = Boolean.getBoolean("scenarios.rewrite");

  @TestFactory
  Stream<DynamicTest> scenarios() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    assertThat(files).as("scenario files in %s", DIR.toAbsolutePath()).isNotEmpty();
    return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(), () -> run(f)));
  }

  /** One block of a file: the comment lines before it, its command lines and its expected output. */
  private record Block(List<String> before, List<String> command, List<String> output, int line) {}

  private static void run(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    List<String> trailer = new ArrayList<>();
    List<Block> blocks = parse(text, trailer);
    Machine machine = new Machine();
    List<Block> actual = new ArrayList<>();
    for (Block b : blocks) {
      List<String> out;
      try {
        out = machine.run(b.command());
      } catch (RuntimeException | AssertionError e) {
        throw new AssertionError(file.getFileName() + ":" + b.line() + ": " + e.getMessage(), e);
      }
      actual.add(new Block(b.before(), b.command(), out, b.line()));
    }
    if (REWRITE) {
      String rendered = render(actual, trailer);
      if (!rendered.equals(text)) {
        Files.writeString(file, rendered, StandardCharsets.UTF_8);
      }
      return;
    }
    StringBuilder mismatches = new StringBuilder();
    for (int i = 0; i < blocks.size(); i++) {
      Block want = blocks.get(i);
      Block got = actual.get(i);
      if (!got.output().equals(want.output())) {
        mismatches.append(String.format("%n%s:%d: %s%n  expected:%n%s  actual:%n%s", file.getFileName(),
            want.line(), String.join(" / ", want.command()), indent(want.output()), indent(got.output())));
      }
    }
    if (!mismatches.isEmpty()) {
      throw new AssertionError("scenario output differs (rerun with -Dscenarios.rewrite=true to accept it):"
          + mismatches);
    }
  }

  private static String indent(List<String> lines) {
    StringBuilder sb = new StringBuilder();
    for (String l : lines == null ? List.of("(no ---- section)") : lines) {
      sb.append("    ").append(l).append('\n');
    }
    return sb.toString();
  }

  private static List<Block> parse(String text, List<String> trailer) {
    List<Block> blocks = new ArrayList<>();
    List<String> before = new ArrayList<>();
    List<String> command = null;
    List<String> output = null;
    int start = 0;
    String[] lines = text.split("\n", -1);
    int n = text.endsWith("\n") ? lines.length - 1 : lines.length;
    for (int i = 0; i < n; i++) {
      String line = lines[i];
      if (output != null) {
        if (line.isEmpty()) {
          blocks.add(new Block(before, command, output, start));
          before = new ArrayList<>();
          command = null;
          output = null;
        } else {
          output.add(line);
        }
      } else if (command != null) {
        if (line.equals("----")) {
          output = new ArrayList<>();
        } else if (line.isEmpty()) {
          blocks.add(new Block(before, command, null, start)); // not run yet: to be filled by a rewrite
          before = new ArrayList<>();
          command = null;
        } else {
          command.add(line);
        }
      } else if (line.isEmpty() || line.startsWith("#")) {
        before.add(line);
      } else {
        command = new ArrayList<>(List.of(line));
        start = i + 1;
      }
    }
    if (command != null) {
      blocks.add(new Block(before, command, output, start));
    } else {
      trailer.addAll(before);
    }
    return blocks;
  }

  private static String render(List<Block> blocks, List<String> trailer) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < blocks.size(); i++) {
      Block b = blocks.get(i);
      if (i > 0) {
        sb.append('\n');
      }
      b.before().forEach(l -> sb.append(l).append('\n'));
      b.command().forEach(l -> sb.append(l).append('\n'));
      if (b.output() != null) {
        sb.append("----\n");
        b.output().forEach(l -> sb.append(l).append('\n'));
      } else {
        sb.append("(not run)\n");
      }
    }
    if (!trailer.isEmpty()) {
      sb.append('\n');
      trailer.forEach(l -> sb.append(l).append('\n'));
    }
    return sb.toString();
  }

  /** The tree under test and the stamps of the next entry. */
  private static final class Machine {
    private final MemoryKvStore store = new MemoryKvStore();
    private long index;
    private long time = 1000;
    private int maxDataBytes = 1024;

    List<String> run(List<String> command) {
      List<String> args = tokens(command.get(0));
      List<String> out = new ArrayList<>();
      switch (args.get(0)) {
        case "time" -> time = Long.parseLong(one(args));
        case "max-data-bytes" -> maxDataBytes = Integer.parseInt(one(args));
        case "entry" -> {
          List<Op> ops = new ArrayList<>();
          for (String line : command.subList(1, command.size())) {
            ops.add(op(tokens(line)));
          }
          write(ops, out);
        }
        case "create", "set", "delete", "deleteall" -> {
          if (command.size() > 1) {
            throw new IllegalArgumentException("only 'entry' takes more lines");
          }
          write(List.of(op(args)), out);
        }
        case "get" -> read(Query.newBuilder().setGetData(GetDataRequest.newBuilder().setPath(one(args))), out,
            r -> {
              out.add("data=" + quote(r.getGetData().getData()));
              out.add("    " + stat(r.getGetData().getStat()));
            });
        case "ls" -> read(Query.newBuilder().setGetChildren(GetChildrenRequest.newBuilder().setPath(one(args))),
            out, r -> out.add(r.getGetChildren().getChildrenList().toString()));
        case "stat" -> read(Query.newBuilder().setExists(ExistsRequest.newBuilder().setPath(one(args))), out,
            r -> out.add(r.getExists().getExists() ? stat(r.getExists().getStat()) : "absent"));
        case "tree" -> tree(out);
        default -> throw new IllegalArgumentException("unknown command " + args.get(0));
      }
      return out;
    }

    private void write(List<Op> ops, List<String> out) {
      LogEntry entry = LogEntry.newBuilder().addAllOps(ops).setTimeMs(time).setMaxDataBytes(maxDataBytes).build();
      index++;
      for (OpResult r : TestTrees.apply(store, index, entry).results()) {
        String z = zxid(r.getZxid()) + " ";
        if (r.getError() != ErrorCode.ERROR_CODE_UNSPECIFIED) {
          out.add(z + r.getError() + (r.getErrorPath().isEmpty() ? "" : " " + escape(r.getErrorPath()))
              + ": " + escape(r.getErrorMessage()));
          continue;
        }
        switch (r.getResponseCase()) {
          case CREATE -> {
            out.add(z + "created " + escape(r.getCreate().getPath()));
            out.add("    " + stat(r.getCreate().getStat()));
          }
          case SET_DATA -> {
            out.add(z + "ok");
            out.add("    " + stat(r.getSetData().getStat()));
          }
          case DELETE -> out.add(z + "ok");
          case DELETE_ALL -> out.add(z + "deleted " + r.getDeleteAll().getDeleted());
          case RESPONSE_NOT_SET -> throw new AssertionError("no response: " + r);
        }
      }
      try (KvReader reader = store.reader()) {
        ZTree tree = new ZTree(reader);
        assertThat(tree.digest()).as("incremental digest after entry %d", index).isEqualTo(tree.scanDigest());
      }
    }

    private void read(Query.Builder query, List<String> out, Consumer<QueryReply> ok) {
      QueryReply r;
      try (KvReader reader = store.reader()) {
        r = QueryHandler.answer(new ZTree(reader), query.build());
      }
      if (r.getError() != ErrorCode.ERROR_CODE_UNSPECIFIED) {
        out.add(r.getError() + " " + escape(r.getErrorPath()) + ": " + escape(r.getErrorMessage()));
      } else {
        ok.accept(r);
      }
    }

    /** Every node depth-first with its data, after the node count. */
    private void tree(List<String> out) {
      try (KvReader reader = store.reader()) {
        ZTree tree = new ZTree(reader);
        List<String> lines = new ArrayList<>();
        walk(tree, "/", lines);
        assertThat(tree.nodeCount()).as("node count").isEqualTo(lines.size());
        out.add("nodes=" + tree.nodeCount());
        out.addAll(lines);
      }
    }

    private static void walk(ZTree tree, String path, List<String> lines) {
      lines.add(escape(path) + " " + quote(ByteString.copyFrom(tree.get(path).data())));
      for (String name : tree.childNames(path)) {
        walk(tree, ZPaths.child(path, name), lines);
      }
    }

    private static Op op(List<String> args) {
      boolean sequential = false;
      Integer version = null;
      RequestId id = null;
      List<String> rest = new ArrayList<>();
      for (int i = 1; i < args.size(); i++) {
        switch (args.get(i)) {
          case "-s" -> sequential = true;
          case "-v" -> version = Integer.parseInt(args.get(++i));
          case "-i" -> {
            String[] parts = args.get(++i).split(":");
            id = RequestId.newBuilder().setClientId(ByteString.copyFromUtf8(parts[0]))
                .setCallId(Long.parseLong(parts[1])).build();
          }
          default -> rest.add(args.get(i));
        }
      }
      String path = rest.get(0);
      ByteString data = ByteString.copyFromUtf8(rest.size() > 1 ? rest.get(1) : "");
      Op.Builder op = Op.newBuilder();
      switch (args.get(0)) {
        case "create" -> {
          CreateRequest.Builder r = CreateRequest.newBuilder().setPath(path).setData(data)
              .setMode(sequential ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.PERSISTENT);
          if (id != null) {
            r.setRequestId(id);
          }
          op.setCreate(r);
        }
        case "set" -> {
          SetDataRequest.Builder r = SetDataRequest.newBuilder().setPath(path).setData(data);
          if (version != null) {
            r.setExpectedVersion(version);
          }
          if (id != null) {
            r.setRequestId(id);
          }
          op.setSetData(r);
        }
        case "delete" -> {
          DeleteRequest.Builder r = DeleteRequest.newBuilder().setPath(path);
          if (version != null) {
            r.setExpectedVersion(version);
          }
          if (id != null) {
            r.setRequestId(id);
          }
          op.setDelete(r);
        }
        case "deleteall" -> {
          DeleteAllRequest.Builder r = DeleteAllRequest.newBuilder().setPath(path);
          if (id != null) {
            r.setRequestId(id);
          }
          op.setDeleteAll(r);
        }
        default -> throw new IllegalArgumentException("not a write: " + args.get(0));
      }
      return op.build();
    }

    private static String one(List<String> args) {
      if (args.size() != 2) {
        throw new IllegalArgumentException(args.get(0) + " takes one argument");
      }
      return args.get(1);
    }
  }

  static String zxid(long zxid) {
    return (zxid >>> 16) + "." + (zxid & 0xffff);
  }

  static String stat(Stat s) {
    return "czxid=" + zxid(s.getCzxid()) + " mzxid=" + zxid(s.getMzxid()) + " pzxid=" + zxid(s.getPzxid())
        + " ctime=" + s.getCtime() + " mtime=" + s.getMtime() + " version=" + s.getVersion()
        + " cversion=" + s.getCversion() + " aclVersion=" + s.getAclVersion()
        + " ephemeralOwner=" + s.getEphemeralOwner() + " dataLength=" + s.getDataLength()
        + " numChildren=" + s.getNumChildren();
  }

  static String quote(ByteString data) {
    return "\"" + escape(data.toStringUtf8()).replace("\"", "\\\"") + "\"";
  }

  /** Characters a reader cannot see (controls, reserved code points) as backslash-u escapes. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xf8ff) || c >= 0xfff0) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Splits on spaces; "..." keeps spaces (and may be empty); backslash-u escapes work everywhere. */
  static List<String> tokens(String line) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < line.length()) {
      if (line.charAt(i) == ' ') {
        i++;
        continue;
      }
      StringBuilder t = new StringBuilder();
      boolean quoted = line.charAt(i) == '"';
      if (quoted) {
        i++;
      }
      while (i < line.length() && (quoted ? line.charAt(i) != '"' : line.charAt(i) != ' ')) {
        char c = line.charAt(i);
        if (c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == 'u') {
          t.append((char) Integer.parseInt(line.substring(i + 2, i + 6), 16));
          i += 6;
        } else if (c == '\\' && i + 1 < line.length()) {
          t.append(line.charAt(i + 1));
          i += 2;
        } else {
          t.append(c);
          i++;
        }
      }
      if (quoted) {
        if (i >= line.length()) {
          throw new IllegalArgumentException("unterminated quote in: " + line);
        }
        i++;
      }
      out.add(t.toString());
    }
    return out;
  }
}
