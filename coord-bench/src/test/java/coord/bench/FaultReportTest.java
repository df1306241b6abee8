package coord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The drill reports: median and max over the rounds that have a figure, and what the text says. */
class FaultReportTest {
  private static final FaultSettings FAILOVER = new FaultSettings(Workload.FAILOVER, List.of("a:1", "b:2", "c:3"),
      4, "/bench", Duration.ofSeconds(30), 3, 200, false, Duration.ofSeconds(5), Duration.ofSeconds(3),
      Path.of("/tmp/c"), null, 1000, Duration.ofSeconds(10));

  private static FailoverDrill.Round round(int n, Double window, List<String> lost) {
    return new FailoverDrill.Round(n, 2, 100 + n, "2026-11-28T18:00:00Z", window,
        window == null ? Map.of() : Map.of("a:1", window), 500.0, 3, 900.0, 1000, 990, Map.of("TIMEOUT", 10L), 0,
        lost, false);
  }

  @Test
  void medianAndMaxSkipRoundsWithoutTheFigure() {
    Map<String, Object> stats = FaultReport.stats(
        List.of(round(1, 3000.0, List.of()), round(2, null, List.of()), round(3, 1000.0, List.of()),
            round(4, 2000.0, List.of()), round(5, 8000.0, List.of())), FailoverDrill.Round::windowMs);
    assertThat(stats).containsEntry("median", 2500.0).containsEntry("max", 8000.0);
    assertThat(FaultReport.stats(List.of(round(1, null, List.of())), FailoverDrill.Round::windowMs))
        .containsEntry("median", null).containsEntry("max", null);
  }

  @Test
  void failoverTextNamesLostWritesAndUnwritableMembers() {
    FailoverDrill.Result result = new FailoverDrill.Result(
        List.of(round(1, 1200.0, List.of()), round(2, 1800.0, List.of("/bench/round-2/w-7"))),
        Map.of("b:2", "UNAVAILABLE: closed"), null);
    String text = FaultReport.failoverText(FAILOVER, result);
    assertThat(text).contains("kill -9 of the leader, 200 creates/s from 4 clients",
        "window 1,200 ms (by the clients' first member: a:1 1,200 ms)", "{TIMEOUT=10} failed",
        "1 lost [/bench/round-2/w-7]", "median 1,500 ms, max 1,800 ms", "lost         1 of 1980 acknowledged",
        "NOT WRITABLE", "b:2=UNAVAILABLE: closed");
    Map<String, Object> json = FaultReport.failover(FAILOVER, result);
    assertThat(json).containsEntry("lost", 1L).containsEntry("recovered_rounds", 2L);
  }
}
