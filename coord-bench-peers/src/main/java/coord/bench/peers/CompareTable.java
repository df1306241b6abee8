package coord.bench.peers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Stream;

/**
 * The side-by-side table of bench/compare.sh: reads the {@code -o json} results it wrote
 * ({@code RESULTS/SYSTEM/CELL.rN.json}), takes the median of each figure over the repeats, and prints a
 * markdown table with ratios; optionally puts it (after a settings text) into a document, in the marked
 * region of the {@link Layout} that was compared (three nodes each, or one), so that a single-node run
 * does not overwrite the three-node table.
 *
 * <p>{@code java coord.bench.peers.CompareTable RESULTS SETTINGS_FILE [--nodes 1|3] [DOC]} (default 3)
 */
public final class CompareTable {
  static final List<String> SYSTEMS = List.of("coord", "zookeeper", "etcd");

  /**
   * How many members each system had: where in the document the table goes and what its labels say. The
   * one place the marker strings are spelled; a region is {@link #begin} ... {@link #end}.
   */
  enum Layout {
    THREE_NODES(3, "compare-table", "Three nodes, side by side"),
    SINGLE_NODE(1, "compare-table-single", "Single node, side by side");

    final int nodes;
    final String begin;
    final String end;
    /** The subsection heading written above the region when the document does not have it yet. */
    final String heading;

    Layout(int nodes, String marker, String heading) {
      this.nodes = nodes;
      this.begin = "<!-- " + marker + ":begin -->";
      this.end = "<!-- " + marker + ":end -->";
      this.heading = heading;
    }

    static Layout ofNodes(int nodes) {
      for (Layout l : values()) {
        if (l.nodes == nodes) {
          return l;
        }
      }
      throw new IllegalArgumentException("--nodes must be 1 or 3, got " + nodes);
    }

    /** How the 128-outstanding reads are placed: over the members (client i at member i mod 3), or not. */
    String spread() {
      return nodes > 1 ? ", spread" : "";
    }

    String watchPath() {
      return nodes > 1 ? "set at member 1 → event at member 2" : "set and event at member 1";
    }
  }

  /** One measured cell of the script, by the file name it writes, and the figures of it the table shows. */
  record Cell(String name, String label, List<Metric> metrics) {}

  enum Metric {
    OPS("ops/s", true), PAIRS("pairs/s", true), P50("p50 ms", false), P99("p99 ms", false);

    final String label;
    final boolean higherIsBetter;

    Metric(String label, boolean higherIsBetter) {
      this.label = label;
      this.higherIsBetter = higherIsBetter;
    }

    double of(JsonNode result) {
      return switch (this) {
        case OPS, PAIRS -> result.get("ops_per_sec").asDouble();
        case P50 -> result.get("latency_us").get("p50").asDouble() / 1000.0;
        case P99 -> result.get("latency_us").get("p99").asDouble() / 1000.0;
      };
    }
  }

  /** The cells of bench/compare.sh, labelled for {@code layout}. */
  static List<Cell> cells(Layout layout) {
    String spread = layout.spread();
    return List.of(
        new Cell("write-1", "write (setData), 1 outstanding: 1 client × 1", List.of(Metric.OPS, Metric.P50, Metric.P99)),
        new Cell("write-16", "write, 16 outstanding: 4 × 4", List.of(Metric.OPS, Metric.P50, Metric.P99)),
        new Cell("write-128", "write, 128 outstanding: 4 × 32", List.of(Metric.OPS, Metric.P50, Metric.P99)),
        new Cell("read-lin-1", "read linearizable¹, 1 outstanding", List.of(Metric.OPS, Metric.P50, Metric.P99)),
        new Cell("read-lin-128", "read linearizable¹, 128 outstanding" + spread,
            List.of(Metric.OPS, Metric.P50, Metric.P99)),
        new Cell("read-stale-1", "read stale², 1 outstanding", List.of(Metric.OPS, Metric.P50, Metric.P99)),
        new Cell("read-stale-128", "read stale², 128 outstanding" + spread, List.of(Metric.OPS, Metric.P50, Metric.P99)),
        new Cell("create-delete-16", "create sequential + delete³, 16 outstanding: 4 × 4",
            List.of(Metric.PAIRS, Metric.P50, Metric.P99)),
        new Cell("mixed-128", "mixed 90% linearizable reads / 10% writes, 128 outstanding" + spread,
            List.of(Metric.OPS, Metric.P50, Metric.P99)),
        new Cell("watch", "watch latency: " + layout.watchPath(), List.of(Metric.P50, Metric.P99)));
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private CompareTable() {}

  public static void main(String[] args) throws IOException {
    List<String> positional = new ArrayList<>();
    Layout layout = Layout.THREE_NODES;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--nodes")) {
        String n = i + 1 < args.length ? args[++i] : "";
        if (!n.equals("1") && !n.equals("3")) {
          usage("--nodes must be 1 or 3, got '" + n + "'");
        }
        layout = Layout.ofNodes(Integer.parseInt(n));
      } else if (args[i].startsWith("-")) {
        usage("unknown option " + args[i]);
      } else {
        positional.add(args[i]);
      }
    }
    if (positional.size() < 2 || positional.size() > 3) {
      usage(null);
    }
    String settings = Files.readString(Path.of(positional.get(1)), StandardCharsets.UTF_8).strip();
    String table = table(Path.of(positional.get(0)), layout);
    System.out.println(settings);
    System.out.println();
    System.out.print(table);
    if (positional.size() == 3) {
      Path doc = Path.of(positional.get(2));
      Files.writeString(doc, replaceRegion(Files.readString(doc, StandardCharsets.UTF_8), layout,
          settings + "\n\n" + table), StandardCharsets.UTF_8);
    }
  }

  private static void usage(String problem) {
    if (problem != null) {
      System.err.println("CompareTable: " + problem);
    }
    System.err.println("usage: CompareTable RESULTS_DIR SETTINGS_FILE [--nodes 1|3] [DOC]");
    System.exit(2);
  }

  /** The markdown table (with its footnotes) of the results under {@code results}. */
  static String table(Path results, Layout layout) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("| workload | figure | coord | ZooKeeper | etcd | coord ÷ ZooKeeper | coord ÷ etcd |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|\n");
    for (Cell cell : cells(layout)) {
      Map<String, List<JsonNode>> runs = new LinkedHashMap<>();
      for (String system : SYSTEMS) {
        runs.put(system, load(results.resolve(system), cell.name()));
      }
      boolean first = true;
      for (Metric m : cell.metrics()) {
        Map<String, OptionalDouble> median = new LinkedHashMap<>();
        runs.forEach((system, rs) -> median.put(system, median(rs.stream().mapToDouble(m::of).toArray())));
        b.append("| ").append(first ? cell.label() : "").append(" | ").append(m.label);
        for (String system : SYSTEMS) {
          b.append(" | ").append(format(median.get(system), m)).append(errorNote(runs.get(system), first));
        }
        b.append(" | ").append(ratio(median.get("coord"), median.get("zookeeper")));
        b.append(" | ").append(ratio(median.get("coord"), median.get("etcd")));
        b.append(" |\n");
        first = false;
      }
    }
    b.append("\nMedians over the repeats; a ratio above 1 means coord is ahead on ops/s, below 1 on latency. ")
        .append("¹ coord: Raft ReadIndex; ZooKeeper: `sync` + `getData` pipelined on one session (it has no ")
        .append("linearizable read); etcd: its default (linearizable) range read. ")
        .append("² coord: a local read; ZooKeeper: `getData` (always local); etcd: a serializable read. ")
        .append("³ ZooKeeper and coord: a `PERSISTENT_SEQUENTIAL` create; etcd (no sequential keys): a put-if-absent ")
        .append("transaction on a key unique to the client; then a delete. ")
        .append("A figure followed by (E n) had n failed operations in its runs; – means not run.\n");
    return b.toString();
  }

  /**
   * {@code doc} with what is between {@code layout}'s markers replaced by {@code content}; a document
   * without them gets them at its end, under the layout's heading. One marker alone, or the end before the
   * begin, is an error (the document is left to a person).
   */
  static String replaceRegion(String doc, Layout layout, String content) {
    int begin = doc.indexOf(layout.begin);
    int end = doc.indexOf(layout.end);
    if (begin < 0 && end < 0) {
      String sep = doc.isEmpty() || doc.endsWith("\n\n") ? "" : doc.endsWith("\n") ? "\n" : "\n\n";
      return doc + sep + "### " + layout.heading + "\n\n" + layout.begin + "\n" + content.strip() + "\n"
          + layout.end + "\n";
    }
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("the document's " + layout.begin + " ... " + layout.end
          + " block is broken: one marker is missing or they are out of order");
    }
    return doc.substring(0, begin + layout.begin.length()) + "\n" + content.strip() + "\n" + doc.substring(end);
  }

  static OptionalDouble median(double[] values) {
    if (values.length == 0) {
      return OptionalDouble.empty();
    }
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    int n = v.length;
    return OptionalDouble.of(n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
  }

  private static List<JsonNode> load(Path dir, String cell) throws IOException {
    List<JsonNode> runs = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return runs;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(cell)
          + "\\.r\\d+\\.json")).sorted().toList()) {
        String text = Files.readString(f, StandardCharsets.UTF_8).strip();
        if (!text.isEmpty()) {
          runs.add(JSON.readTree(text));
        }
      }
    }
    return runs;
  }

  private static String errorNote(List<JsonNode> runs, boolean firstRowOfCell) {
    long errors = runs.stream().mapToLong(r -> r.get("errors_total").asLong()).sum();
    return firstRowOfCell && errors > 0 ? " (E " + errors + ")" : "";
  }

  private static String format(OptionalDouble v, Metric m) {
    if (v.isEmpty()) {
      return "–";
    }
    double x = v.getAsDouble();
    if (m.higherIsBetter) {
      return String.format(Locale.ROOT, "%,.0f", x);
    }
    return String.format(Locale.ROOT, x < 10 ? "%.2f" : "%.1f", x);
  }

  private static String ratio(OptionalDouble coord, OptionalDouble other) {
    if (coord.isEmpty() || other.isEmpty() || other.getAsDouble() == 0) {
      return "–";
    }
    return String.format(Locale.ROOT, "%.2f×", coord.getAsDouble() / other.getAsDouble());
  }
}
