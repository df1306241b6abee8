package coord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** Argument parsing and validation; no cluster needed (every case fails before connecting). */
class MainTest {
  private final Bench bench = new Bench("127.0.0.1:1");

  private static Settings parse(Map<String, String> env, String... args) {
    Main main = new Main(env);
    new CommandLine(main).registerConverter(Duration.class, new DurationConverter()).parseArgs(args);
    return main.settings();
  }

  @Test
  void defaults() {
    Settings s = parse(Map.of(), "write");
    assertThat(s.workload()).isEqualTo(Workload.WRITE);
    assertThat(s.endpoints()).containsExactly("127.0.0.1:2281", "127.0.0.1:2282", "127.0.0.1:2283");
    assertThat(s.clients()).isEqualTo(4);
    assertThat(s.outstanding()).isEqualTo(32);
    assertThat(s.valueSize()).isEqualTo(100);
    assertThat(s.keys()).isEqualTo(1000);
    assertThat(s.duration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.ops()).isZero();
    assertThat(s.warmup()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.prefix()).isEqualTo("/bench");
    assertThat(s.readRatio()).isEqualTo(0.9);
    assertThat(s.system().name()).isEqualTo("coord");
  }

  @Test
  void endpointsFromEnvironmentAndOptions() {
    assertThat(parse(Map.of(Main.ENDPOINTS_ENV, "h:1,h:2"), "read").endpoints()).containsExactly("h:1", "h:2");
    assertThat(parse(Map.of(Main.ENDPOINTS_ENV, "h:1"), "read", "--endpoints", "a:1, b:2").endpoints())
        .containsExactly("a:1", "b:2");
  }

  @Test
  void readAndMixedPinClientsToMembersRoundRobin() {
    Settings read = parse(Map.of(), "read", "--endpoints", "a:1,b:2,c:3");
    assertThat(read.endpointsOfClient(0)).containsExactly("a:1", "b:2", "c:3");
    assertThat(read.endpointsOfClient(1)).containsExactly("b:2", "c:3", "a:1");
    assertThat(read.endpointsOfClient(5)).containsExactly("c:3", "a:1", "b:2");
    Settings write = parse(Map.of(), "write", "--endpoints", "a:1,b:2,c:3");
    assertThat(write.endpointsOfClient(1)).containsExactly("a:1", "b:2", "c:3");
  }

  @Test
  void opsInsteadOfDurationAndWatchLatencyDefaults() {
    Settings s = parse(Map.of(), "create-delete", "--ops", "500", "--warmup", "0");
    assertThat(s.duration()).isNull();
    assertThat(s.ops()).isEqualTo(500);
    assertThat(s.warmup()).isZero();
    Settings w = parse(Map.of(), "watch-latency");
    assertThat(w.clients()).isEqualTo(1);
    assertThat(w.outstanding()).isEqualTo(1);
    assertThat(parse(Map.of(), "mixed", "--read-ratio", "0.5", "--stale").readRatio()).isEqualTo(0.5);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "frob                                  | unknown workload 'frob'",
      "write --clients 0                     | --clients must be 1..1000",
      "write --outstanding 0                 | --outstanding must be 1..10000",
      "write --value-size -1                 | --value-size must be 0..1048576",
      "write --keys 0                        | --keys must be 1..1000000",
      "write --duration 10s --ops 5          | give --duration or --ops, not both",
      "write --duration soon                 | 'soon' is not a duration",
      "write --duration 0s                   | --duration must be positive",
      "write --ops 0                         | --ops must be positive",
      "write --stale                         | --stale applies to read and mixed only",
      "read --read-ratio 0.5                 | --read-ratio applies to mixed only",
      "mixed --read-ratio 1.5                | --read-ratio must be between 0 and 1",
      "write --prefix bench                  | --prefix must be an absolute path",
      "write --prefix /                      | --prefix must be an absolute path",
      "write --endpoints localhost           | 'localhost' is not host:port",
      "write --system frob                   | unknown --system 'frob': expected one of coord",
      "watch-latency --clients 3             | watch-latency always uses one writer",
      "write --clients many                  | Invalid value for option '--clients'",
      "write --bogus                         | Unknown option: '--bogus'",
      "write -o yaml                         | Invalid value for option '--output'",
      "write --rate 10                       | --rate applies to failover only",
      "read --freeze                         | --freeze applies to failover only",
      "failover --ephemerals 5               | --ephemerals applies to session-expiry only",
      "write --rounds 2                      | --rounds applies to failover and session-expiry only",
      "failover --keys 5                     | --keys does not apply to failover",
      "session-expiry --duration 5s          | --duration does not apply to session-expiry",
      "failover --rounds 0                   | --rounds must be 1..100",
      "failover --rate 0                     | --rate must be 1..100000",
      "failover                              | failover needs the endpoints of every member",
      "session-expiry                        | session-expiry needs two members",
      "session-expiry --endpoints a:1,b:2 --ephemerals 0 | --ephemerals must be 1..100000",
      "failover --endpoints a:1,b:2,c:3 --no-restart --rounds 2 | --no-restart leaves the killed leader down",
  })
  void badArgumentsExitTwoWithAClearMessage(String args, String message) {
    Bench.Result r = bench.run(args.trim().split("\\s+"));
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(message).contains("coord-bench --help");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void drillDefaultsAndTheClusterFolderFromTheEnvironment() {
    Map<String, String> env = Map.of(FaultOptions.ROOT_ENV, "/src/coord");
    FaultSettings f = drill(env, "failover", "--endpoints", "a:1,b:2,c:3");
    assertThat(f.rounds()).isEqualTo(3);
    assertThat(f.rate()).isEqualTo(200);
    assertThat(f.freeze()).isFalse();
    assertThat(f.requestTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(f.clusterDir()).isEqualTo(java.nio.file.Path.of("/src/coord/deploy/local/data"));
    assertThat(f.endpointsFrom(4)).containsExactly("b:2", "c:3", "a:1");
    FaultSettings local = drill(Map.of(FaultOptions.ROOT_ENV, "/src/coord", FaultOptions.LOCAL_DIR_ENV, "/tmp/c"),
        "failover", "--endpoints", "a:1,b:2,c:3", "--timeout", "5s");
    assertThat(local.clusterDir()).isEqualTo(java.nio.file.Path.of("/tmp/c"));
    assertThat(local.requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(drill(env, "failover", "--endpoints", "a:1,b:2,c:3", "--cluster-dir", "/x").clusterDir())
        .isEqualTo(java.nio.file.Path.of("/x"));
    FaultSettings expiry = drill(Map.of(), "session-expiry", "--endpoints", "a:1,b:2");
    assertThat(expiry.ephemerals()).isEqualTo(1000);
    assertThat(expiry.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(expiry.clusterDir()).isNull();
  }

  @Test
  void failoverWithoutAClusterFolderSaysHowToGiveOne() {
    Bench.Result r = new Bench("127.0.0.1:1,127.0.0.1:2,127.0.0.1:3").run("failover", "--rounds", "1");
    assertThat(r.exit()).isEqualTo(6);
    assertThat(r.err()).contains("--cluster-dir");
  }

  private static FaultSettings drill(Map<String, String> env, String... args) {
    Main main = new Main(env);
    new CommandLine(main).registerConverter(Duration.class, new DurationConverter()).parseArgs(args);
    Settings base = main.settings();
    main.faultOptions.checkApplicable(base.workload());
    return main.faultOptions.settings(base, env);
  }

  @Test
  void noWorkloadIsAUsageError() {
    Bench.Result r = bench.run();
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("WORKLOAD");
  }

  @Test
  void helpListsTheWorkloads() {
    Bench.Result r = bench.run("--help");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("write", "create-delete", "read", "mixed", "watch-latency", "failover",
        "session-expiry", "--freeze", "--ephemerals", "Exit codes");
  }

  @Test
  void version() {
    Bench.Result r = bench.run("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).startsWith("coord-bench ").doesNotContain("unknown");
  }

  @Test
  void durations() {
    DurationConverter c = new DurationConverter();
    assertThat(c.convert("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(c.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.convert("1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.convert("0")).isZero();
  }
}
