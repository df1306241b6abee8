package coord.server;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coord-server}: runs one node until SIGTERM/SIGINT. Every config key can be given as a flag. */
@Command(name = "coord-server", mixinStandardHelpOptions = true, version = "coord-server 0.1.0",
    description = "Runs one coord node. Keys come from --config, then flags override them.")
public final class Main implements Callable<Integer> {
  @Option(names = "--config", description = "Config file (ZooKeeper-style key=value).")
  Path config;

  @Option(names = "--id", description = "This node's id (the N of server.N); else myid in the config or dataDir/myid.")
  int id;

  @Option(names = "--dataDir") String dataDir;
  @Option(names = "--clientPort") Integer clientPort;
  @Option(names = "--clientPortAddress") String clientPortAddress;
  @Option(names = "--tickTime") Integer tickTime;
  @Option(names = "--initLimit") Integer initLimit;
  @Option(names = "--syncLimit") Integer syncLimit;
  @Option(names = "--maxDataBytes") Integer maxDataBytes;
  @Option(names = "--minSessionTimeout") Integer minSessionTimeout;
  @Option(names = "--maxSessionTimeout") Integer maxSessionTimeout;
  @Option(names = "--electionTimeoutMinMs") Integer electionTimeoutMinMs;
  @Option(names = "--electionTimeoutMaxMs") Integer electionTimeoutMaxMs;
  @Option(names = "--snapshotThreshold") Long snapshotThreshold;

  @Option(names = "--server", description = "A member, N=host:raftPort:clientPort (repeatable).")
  Map<String, String> servers;

  @Option(names = "--set", description = "Any other key, key=value (repeatable), e.g. raft.server.log.segment.size.max=8MB.")
  Map<String, String> extra;

  @Override
  public Integer call() throws Exception {
    Properties p = config == null ? new Properties() : NodeConfig.load(config);
    override(p, "dataDir", dataDir);
    override(p, "clientPort", clientPort);
    override(p, "clientPortAddress", clientPortAddress);
    override(p, "tickTime", tickTime);
    override(p, "initLimit", initLimit);
    override(p, "syncLimit", syncLimit);
    override(p, "maxDataBytes", maxDataBytes);
    override(p, "minSessionTimeout", minSessionTimeout);
    override(p, "maxSessionTimeout", maxSessionTimeout);
    override(p, "electionTimeoutMinMs", electionTimeoutMinMs);
    override(p, "electionTimeoutMaxMs", electionTimeoutMaxMs);
    override(p, "snapshotThreshold", snapshotThreshold);
    if (servers != null) {
      servers.forEach((k, v) -> p.setProperty("server." + k, v));
    }
    if (extra != null) {
      extra.forEach(p::setProperty);
    }
    NodeConfig cfg = NodeConfig.fromProperties(p, id);
    CoordNode node = CoordNode.start(cfg);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(Main.class).warn("error while stopping", e);
      } finally {
        stopped.countDown();
      }
    }, "coord-shutdown"));
    stopped.await();
    return 0;
  }

  private static void override(Properties p, String key, Object value) {
    if (value != null) {
      p.setProperty(key, value.toString());
    }
  }

  public static void main(String[] args) {
    CoordNode.sizeCommonPool(); // first: nothing may touch the common pool before
    CommandLine cmd = new CommandLine(new Main());
    cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      if (e instanceof NodeConfig.ConfigException) {
        commandLine.getErr().println("coord-server: configuration error: " + e.getMessage());
        return 2;
      }
      throw e;
    });
    System.exit(cmd.execute(args));
  }

}
