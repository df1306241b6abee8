package coord.it.check;

import static org.assertj.core.api.Assertions.assertThat;

import coord.it.check.RegisterSimulator.Anomaly;
import coord.it.check.RegisterSimulator.Generated;
import coord.it.check.RegisterSimulator.Params;
import coord.it.history.Operation;
import coord.it.history.HistoryReader;
import coord.it.history.HistoryWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Property tests: histories from a correct atomic store always pass; the same histories with one
 * planted anomaly always fail. Seeded, so a failure names the seed that reproduces it.
 */
class GeneratedHistoriesTest {
  private static final long BASE_SEED = 0xC00D_17L;
  private static final int SEEDS = 100;

  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  @Test
  void correctStoreIsAlwaysLinearizable() {
    LongStream.range(BASE_SEED, BASE_SEED + SEEDS).forEach(seed -> {
      Generated g = RegisterSimulator.generate(seed, Params.SMALL);
      CheckReport r = checker.check(g.ops());
      assertThat(r.verdict()).as("seed %d:%n%s", seed, r.render()).isEqualTo(Verdict.OK);
    });
  }

  @Test
  void correctStoreWithHighConcurrencyAndManyTimeouts() {
    Params busy = new Params(8, 2, 40, 0.15, 100, 5);
    LongStream.range(BASE_SEED, BASE_SEED + SEEDS / 2).forEach(seed -> {
      CheckReport r = checker.check(RegisterSimulator.generate(seed, busy).ops());
      assertThat(r.verdict()).as("seed %d:%n%s", seed, r.render()).isEqualTo(Verdict.OK);
    });
  }

  @Test
  void patchingObservedWritesNeverChangesTheVerdict() {
    Params timeouts = new Params(6, 2, 30, 0.1, 60, 10);
    // Unpatched searches with many floating writes can blow up: give them a small budget and
    // compare only the ones that finish.
    LinearizabilityChecker unpatched =
        new LinearizabilityChecker(new Budget(Duration.ofMillis(100), 100_000), false);
    int patchedOps = 0;
    int compared = 0;
    for (long seed = BASE_SEED; seed < BASE_SEED + SEEDS / 2; seed++) {
      Generated g = RegisterSimulator.generate(seed, timeouts);
      List<Operation> bad = RegisterSimulator.inject(g, Anomaly.STALE_READ, new Random(seed));
      for (List<Operation> ops : bad == null ? List.of(g.ops()) : List.of(g.ops(), bad)) {
        CheckReport with = checker.check(ops);
        assertThat(with.verdict()).as("seed %d", seed).isNotEqualTo(Verdict.UNKNOWN);
        assertThat(with.verdict() == Verdict.OK).as("seed %d", seed).isEqualTo(ops == g.ops());
        patchedOps += with.partitions().stream().mapToInt(PartitionResult::patched).sum();
        CheckReport without = unpatched.check(ops);
        if (without.verdict() != Verdict.UNKNOWN) {
          compared++;
          assertThat(without.verdict()).as("seed %d", seed).isEqualTo(with.verdict());
        }
      }
    }
    assertThat(patchedOps).as("the property was exercised").isGreaterThan(20);
    assertThat(compared).as("unpatched searches that finished").isGreaterThan(SEEDS / 2);
  }

  @Test
  void savedHistoriesRecheckToTheSameVerdict(@TempDir Path dir) throws IOException {
    Generated g = RegisterSimulator.generate(BASE_SEED, Params.SMALL);
    List<Operation> bad = RegisterSimulator.inject(g, Anomaly.STALE_READ, new Random(BASE_SEED));
    Path good = dir.resolve("good.jsonl");
    Path stale = dir.resolve("stale.jsonl");
    HistoryWriter.write(good, g.ops());
    HistoryWriter.write(stale, bad);
    assertThat(checker.check(HistoryReader.read(good)).verdict()).isEqualTo(Verdict.OK);
    CheckReport r = checker.check(HistoryReader.read(stale));
    assertThat(r.verdict()).isEqualTo(Verdict.VIOLATION);
    assertThat(withoutTimings(r.render()))
        .isEqualTo(withoutTimings(checker.check(bad).render()));
  }

  private static String withoutTimings(String report) {
    return report.replaceAll("[0-9.]+ ms", "_ ms");
  }

  @ParameterizedTest
  @EnumSource(Anomaly.class)
  void oneAnomalyIsAlwaysCaught(Anomaly anomaly) {
    int planted = 0;
    for (long seed = BASE_SEED; seed < BASE_SEED + SEEDS; seed++) {
      Generated g = RegisterSimulator.generate(seed, Params.SMALL);
      List<Operation> bad = RegisterSimulator.inject(g, anomaly, new Random(seed));
      if (bad == null) {
        continue;
      }
      planted++;
      CheckReport r = checker.check(bad);
      assertThat(r.verdict()).as("seed %d, %s:%n%s", seed, anomaly, r.render())
          .isEqualTo(Verdict.VIOLATION);
      assertThat(r.violations()).hasSize(1);
    }
    assertThat(planted).as("histories with a plantable anomaly").isGreaterThan(SEEDS * 9 / 10);
  }
}
