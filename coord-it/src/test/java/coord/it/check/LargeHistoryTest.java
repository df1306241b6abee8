package coord.it.check;

import static org.assertj.core.api.Assertions.assertThat;

import coord.it.check.RegisterSimulator.Params;
import coord.it.history.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The largest generated history: about the size of one CI run of the register workload (section
 * 3.4 of the reliability brief: ~18 000 ops over ~80 partitions; here fewer, longer partitions).
 * Prints the checker's speed to the test output file.
 */
class LargeHistoryTest {

  @Test
  void largeHistoryChecksQuickly() {
    Params large = new Params(10, 8, 1_000, 0.02, 40, 20);
    List<Operation> ops = RegisterSimulator.generate(42, large).ops();
    LinearizabilityChecker checker = new LinearizabilityChecker();
    checker.check(ops); // warm-up, so the figure below is not JIT time
    CheckReport r = checker.check(ops);
    long steps = r.partitions().stream().mapToLong(PartitionResult::steps).sum();
    System.out.printf("large history: %d ops, %d partitions, %d steps, %.1f ms: %s%n",
        ops.size(), r.partitions().size(), steps, r.elapsedNanos() / 1e6, r.verdict());
    assertThat(r.verdict()).as(r.render()).isEqualTo(Verdict.OK);
    assertThat(ops).hasSize(10_000);
  }
}
