package coord.it.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How to start a {@link ProcessCluster}.
 *
 * @param runDir folder for the members' data and logs ({@code n<id>/data}, {@code n<id>.log})
 * @param size members, ids 1..size
 * @param classpath class path of the member JVMs (must hold {@code coord.server.Main})
 * @param network {@code AUTO}: namespaces when the machine allows it, else link proxies on loopback
 * @param jvmArgs JVM options of every member
 * @param failpoint a server failpoint passed to every member as {@code -Dcoord.failpoint=...}, or null
 * @param clockMember the member started with a shifted wall clock ({@link FakeClock}), so its clock can jump;
 *     0 for none
 * @param electionTimeoutMinMs Raft election timeout, lower bound
 * @param electionTimeoutMaxMs Raft election timeout, upper bound
 * @param extraJvmArgs more JVM options per member id
 * @param extraEnv more environment per member id
 */
public record ClusterSpec(
    Path runDir,
    int size,
    String classpath,
    NetworkMode network,
    List<String> jvmArgs,
    String failpoint,
    int clockMember,
    int electionTimeoutMinMs,
    int electionTimeoutMaxMs,
    Map<Integer, List<String>> extraJvmArgs,
    Map<Integer, Map<String, String>> extraEnv) {

  /** Where the members live: {@link LoopbackNetwork}, {@link NamespaceNetwork}, {@link ProxyNetwork}, or AUTO. */
  public enum NetworkMode { AUTO, LOOPBACK, NETNS, PROXY }

  /** Small heaps and C1 only: three members and a driver share two cores (brief, section 3.2). */
  public static final List<String> DEFAULT_JVM_ARGS =
      List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  public ClusterSpec {
    jvmArgs = List.copyOf(jvmArgs);
    extraJvmArgs = Map.copyOf(extraJvmArgs);
    extraEnv = Map.copyOf(extraEnv);
    if (size < 1) {
      throw new IllegalArgumentException("size must be positive, got " + size);
    }
    if (clockMember < 0 || clockMember > size) {
      throw new IllegalArgumentException("clockMember must be 0 or a member id, got " + clockMember);
    }
  }

  /** Three members, defaults for everything but the run folder, class path and network. */
  public static ClusterSpec of(Path runDir, String classpath, NetworkMode network) {
    // Elections at 1-2 s: on two busy cores, sub-second timeouts cause election storms (brief, section 1.6).
    return new ClusterSpec(runDir, 3, classpath, network, DEFAULT_JVM_ARGS, null, 0, 1000, 2000, Map.of(), Map.of());
  }

  public ClusterSpec withFailpoint(String name) {
    return new ClusterSpec(runDir, size, classpath, network, jvmArgs, name, clockMember, electionTimeoutMinMs,
        electionTimeoutMaxMs, extraJvmArgs, extraEnv);
  }

  public ClusterSpec withClockMember(int id) {
    return new ClusterSpec(runDir, size, classpath, network, jvmArgs, failpoint, id, electionTimeoutMinMs,
        electionTimeoutMaxMs, extraJvmArgs, extraEnv);
  }
}
