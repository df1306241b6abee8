package coord.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Medians, ratios and the marker block of the comparison table, from hand-made results. */
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

    String table = CompareTable.table(results);

    assertThat(table).contains("| write, 128 outstanding: 4 × 32 | ops/s | 2,000 | 1,000 (E 2) | 3,000 | 2.00× | 0.67× |");
    assertThat(table).contains("|  | p50 ms | 3.00 | 1.50 | 1.00 | 2.00× | 3.00× |");
    assertThat(table).contains("|  | p99 ms | 10.0 | 5.00 | 5.00 | 2.00× | 2.00× |");
    assertThat(table).contains("| write (setData), 1 outstanding: 1 client × 1 | ops/s | – | – | – | – | – |");
    assertThat(table).contains("| watch latency: set at member 1 → event at member 2 | p50 ms |");
  }

  @Test
  void replacesOnlyWhatIsBetweenTheMarkers() {
    String doc = "# t\nbefore\n" + CompareTable.BEGIN + "\nold table\n" + CompareTable.END + "\nafter\n";
    assertThat(CompareTable.replaceBetweenMarkers(doc, "new table\n"))
        .isEqualTo("# t\nbefore\n" + CompareTable.BEGIN + "\nnew table\n" + CompareTable.END + "\nafter\n");
    assertThatThrownBy(() -> CompareTable.replaceBetweenMarkers("no markers", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(CompareTable.median(new double[] {5, 1, 3}).getAsDouble()).isEqualTo(3);
    assertThat(CompareTable.median(new double[] {4, 1, 3, 2}).getAsDouble()).isEqualTo(2.5);
    assertThat(CompareTable.median(new double[0])).isEmpty();
  }
}
