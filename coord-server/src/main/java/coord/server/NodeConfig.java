package coord.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A node's configuration: ZooKeeper's keys where ZooKeeper has one ({@code tickTime, initLimit, syncLimit,
 * dataDir, clientPort, clientPortAddress, server.N=host:raftPort:clientPort}) plus coord's own. Keys not
 * listed here that start with {@code raft.} pass through to Ratis unchanged.
 */
public record NodeConfig(
    int id,
    Path dataDir,
    String clientPortAddress,
    int clientPort,
    Map<Integer, Member> servers,
    int tickTime,
    int initLimit,
    int syncLimit,
    long minSessionTimeoutMs,
    long maxSessionTimeoutMs,
    int maxDataBytes,
    int electionTimeoutMinMs,
    int electionTimeoutMaxMs,
    long snapshotThreshold,
    int writeEntriesInFlight,
    Map<String, String> raftProperties) {

  public static final int DEFAULT_MAX_DATA_BYTES = 1024 * 1024;
  /**
   * Raft entries of grouped writes a member has in flight; writes arriving meanwhile wait for the next entry.
   * One gives the fullest entries: on 2 cores it beat 2 and 4 in throughput and p99 (docs/benchmarks.md).
   */
  public static final int DEFAULT_WRITE_ENTRIES_IN_FLIGHT = 1;

  /** One member of the cluster as the config names it. */
  public record Member(int id, String host, int raftPort, int clientPort) {
    public String raftAddress() {
      return host + ":" + raftPort;
    }

    public String clientAddress() {
      return host + ":" + clientPort;
    }

    static Member parse(int id, String value) {
      String[] parts = value.trim().split(":");
      if (parts.length != 3) {
        throw new ConfigException("server." + id + " must be host:raftPort:clientPort, got '" + value + "'");
      }
      return new Member(id, parts[0], port("server." + id, parts[1]), port("server." + id, parts[2]));
    }
  }

  /** A configuration the node cannot start with; the message says which key and why. */
  public static final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }

  public NodeConfig {
    if (servers.isEmpty()) {
      throw new ConfigException("no server.N entries: list every member, e.g. server.1=127.0.0.1:2291:2281");
    }
    if (!servers.containsKey(id)) {
      throw new ConfigException("this node's id " + id + " has no server." + id + " entry");
    }
    if (electionTimeoutMinMs <= 0 || electionTimeoutMaxMs <= electionTimeoutMinMs) {
      throw new ConfigException("need 0 < electionTimeoutMinMs < electionTimeoutMaxMs, got "
          + electionTimeoutMinMs + " and " + electionTimeoutMaxMs);
    }
    if (minSessionTimeoutMs <= 0 || maxSessionTimeoutMs < minSessionTimeoutMs) {
      throw new ConfigException("need 0 < minSessionTimeout <= maxSessionTimeout, got "
          + minSessionTimeoutMs + " and " + maxSessionTimeoutMs);
    }
    if (tickTime <= 0) {
      throw new ConfigException("tickTime must be positive, got " + tickTime);
    }
    if (maxDataBytes <= 0 || maxDataBytes > 64 * 1024 * 1024) {
      throw new ConfigException("maxDataBytes must be in 1..67108864, got " + maxDataBytes);
    }
    servers = Map.copyOf(servers);
    raftProperties = Map.copyOf(raftProperties);
  }

  public Member self() {
    return servers.get(id);
  }

  /**
   * Builds a config from properties (a file's contents with flag overrides already applied). The id comes
   * from {@code id} when given (> 0), else from {@code myid} in the properties, else from dataDir/myid.
   */
  public static NodeConfig fromProperties(Properties p, int id) {
    String dataDir = p.getProperty("dataDir");
    if (dataDir == null || dataDir.isBlank()) {
      throw new ConfigException("dataDir is required");
    }
    Path dir = Path.of(dataDir.trim()).toAbsolutePath();
    Map<Integer, Member> servers = new TreeMap<>();
    Map<String, String> raft = new TreeMap<>();
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith("server.")) {
        int sid = integer(key, key.substring("server.".length()));
        servers.put(sid, Member.parse(sid, p.getProperty(key)));
      } else if (key.startsWith("raft.")) {
        raft.put(key, p.getProperty(key).trim());
      }
    }
    int myId = id > 0 ? id : p.containsKey("myid") ? integer("myid", p.getProperty("myid")) : readMyid(dir);
    Member self = servers.get(myId);
    int tickTime = integer(p, "tickTime", 2000);
    // Sub-second elections: measured failover under a second on loopback without spurious elections
    // (../shared/anchors); Ratis' own 150/300 ms churns while JVMs warm up.
    int electionMin = integer(p, "electionTimeoutMinMs", 500);
    int electionMax = integer(p, "electionTimeoutMaxMs", 1000);
    return new NodeConfig(
        myId,
        dir,
        p.getProperty("clientPortAddress", self == null ? "0.0.0.0" : self.host()).trim(),
        integer(p, "clientPort", self == null ? 2281 : self.clientPort()),
        servers,
        tickTime,
        integer(p, "initLimit", 10),
        integer(p, "syncLimit", 5),
        // ZooKeeper's defaults: sessions may ask for 2 to 20 ticks
        integer(p, "minSessionTimeout", 2 * tickTime),
        integer(p, "maxSessionTimeout", 20 * tickTime),
        integer(p, "maxDataBytes", DEFAULT_MAX_DATA_BYTES),
        electionMin,
        electionMax,
        Long.parseLong(p.getProperty("snapshotThreshold", "100000").trim()),
        positive(p, "writeEntriesInFlight", DEFAULT_WRITE_ENTRIES_IN_FLIGHT),
        raft);
  }

  public static Properties load(Path file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException e) {
      throw new ConfigException("cannot read config " + file + ": " + e.getMessage());
    }
    return p;
  }

  private static int readMyid(Path dataDir) {
    Path f = dataDir.resolve("myid");
    if (!Files.exists(f)) {
      throw new ConfigException("no node id: pass --id N, set myid=N, or write N into " + f);
    }
    try {
      return integer("myid", Files.readString(f));
    } catch (IOException e) {
      throw new ConfigException("cannot read " + f + ": " + e.getMessage());
    }
  }

  private static int integer(Properties p, String key, int dflt) {
    String v = p.getProperty(key);
    return v == null ? dflt : integer(key, v);
  }

  private static int positive(Properties p, String key, int dflt) {
    int v = integer(p, key, dflt);
    if (v < 1) {
      throw new ConfigException(key + " must be at least 1, got " + v);
    }
    return v;
  }

  private static int integer(String key, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " must be an integer, got '" + value.trim() + "'");
    }
  }

  private static int port(String key, String value) {
    int port = integer(key, value);
    if (port < 0 || port > 65535) {
      throw new ConfigException(key + ": port out of range: " + port);
    }
    return port;
  }
}
