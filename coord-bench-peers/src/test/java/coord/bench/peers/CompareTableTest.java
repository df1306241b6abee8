package coord.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import coord.bench.peers.CompareTable.Layout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Medians, ratios and the marked regions of the comparison table, from hand-made results. */
class CompareTableTest {
  @TempDir
  Path results;

  private void result(String system, String file, double opsPerSec, long p50Us, long p99Us, long errors)
      throws Exception {
    Files.createDirectories(results.resolve(system));
    Files.writeString(results.resolve(system).resolve(file), String.format(java.util.Locale.ROOT,
        "{\"ops_per_sec\":%.1f,\"errors_total\":%d,\"latency_us\":{\"p50\":%d,\"p99\":%d}}",
        opsPerSec, errors, p50Us, p99Us));
  }

  @Test
  void mediansOfTheRepeatsAndRatios() throws Exception {
    result("coord", "write-128.r1.json", 3000, 2000, 9000, 0);
    result("coord", "write-128.r2.json", 1000, 4000, 30000, 0);
    result("coord", "write-128.r3.json", 2000, 3000, 10000, 0);
    result("zookeeper", "write-128.r1.json", 1000, 1500, 5000, 2);
    result("etcd", "write-128.r1.json", 4000, 1000, 4000, 0);
    result("etcd", "write-128.r2.json", 2000, 1000, 6000, 0);

    String table = CompareTable.table(results, Layout.THREE_NODES);

    assertThat(table).contains("| write, 128 outstanding: 4 × 32 | ops/s | 2,000 | 1,000 (E 2) | 3,000 | 2.00× | 0.67× |");
    assertThat(table).contains("|  | p50 ms | 3.00 | 1.50 | 1.00 | 2.00× | 3.00× |");
    assertThat(table).contains("|  | p99 ms | 10.0 | 5.00 | 5.00 | 2.00× | 2.00× |");
    assertThat(table).contains("| write (setData), 1 outstanding: 1 client × 1 | ops/s | – | – | – | – | – |");
    assertThat(table).contains("| watch latency: set at member 1 → event at member 2 | p50 ms |");
  }

  @Test
  void singleNodeLabelsDoNotSpreadOrCrossMembers() throws Exception {
    result("coord", "read-lin-128.r1.json", 2000, 3000, 9000, 0);

    String table = CompareTable.table(results, Layout.SINGLE_NODE);

    assertThat(table).contains("| read linearizable¹, 128 outstanding | ops/s | 2,000 | – | – | – | – |");
    assertThat(table).contains("| watch latency: set and event at member 1 | p50 ms |");
    assertThat(table).doesNotContain("spread").doesNotContain("member 2");
  }

  @Test
  void replacesOnlyWhatIsBetweenTheMarkers() {
    Layout three = Layout.THREE_NODES;
    String doc = "# t\nbefore\n" + three.begin + "\nold table\n" + three.end + "\nafter\n";
    assertThat(CompareTable.replaceRegion(doc, three, "new table\n"))
        .isEqualTo("# t\nbefore\n" + three.begin + "\nnew table\n" + three.end + "\nafter\n");
    assertThatThrownBy(() -> CompareTable.replaceRegion("only " + three.begin + " here", three, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CompareTable.replaceRegion(three.end + " then " + three.begin, three, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eachLayoutWritesOnlyItsOwnRegion() {
    Layout three = Layout.THREE_NODES;
    Layout one = Layout.SINGLE_NODE;
    assertThat(one.begin).isNotEqualTo(three.begin).doesNotContain(three.begin);
    String doc = "# t\n" + three.begin + "\nthree\n" + three.end + "\n\n### " + one.heading + "\n\n" + one.begin
        + "\n" + one.end + "\nafter\n";

    String once = CompareTable.replaceRegion(doc, one, "single table");
    assertThat(once).isEqualTo("# t\n" + three.begin + "\nthree\n" + three.end + "\n\n### " + one.heading + "\n\n"
        + one.begin + "\nsingle table\n" + one.end + "\nafter\n");
    assertThat(CompareTable.replaceRegion(once, three, "three again"))
        .contains(three.begin + "\nthree again\n" + three.end)
        .contains(one.begin + "\nsingle table\n" + one.end);
  }

  @Test
  void aMissingRegionIsAddedAtTheEndUnderItsHeading() {
    Layout three = Layout.THREE_NODES;
    Layout one = Layout.SINGLE_NODE;
    String doc = "# t\n" + three.begin + "\nthree\n" + three.end + "\n";

    String added = CompareTable.replaceRegion(doc, one, "single table\n");

    assertThat(added).isEqualTo(doc + "\n### Single node, side by side\n\n" + one.begin + "\nsingle table\n"
        + one.end + "\n");
    assertThat(CompareTable.replaceRegion(added, one, "newer")).isEqualTo(doc
        + "\n### Single node, side by side\n\n" + one.begin + "\nnewer\n" + one.end + "\n");
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(CompareTable.median(new double[] {5, 1, 3}).getAsDouble()).isEqualTo(3);
    assertThat(CompareTable.median(new double[] {4, 1, 3, 2}).getAsDouble()).isEqualTo(2.5);
    assertThat(CompareTable.median(new double[0])).isEmpty();
  }
}
