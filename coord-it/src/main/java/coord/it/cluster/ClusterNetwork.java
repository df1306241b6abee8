package coord.it.cluster;

import java.util.List;
import java.util.Map;

/**
 * Where the members live and how their traffic can be cut: plain loopback ({@link LoopbackNetwork}), one
 * network namespace per member ({@link NamespaceNetwork}), or loopback with a TCP proxy per link
 * ({@link ProxyNetwork}).
 */
public interface ClusterNetwork extends AutoCloseable {

  /** {@code loopback}, {@code netns} or {@code proxy}, for reports. */
  String mode();

  /** The host every member names member {@code id} by in its peer list (the same string on every member). */
  String host(int id);

  /**
   * The address member {@code id} binds its client port to and the driver's clients reach it at; by default
   * {@link #host}.
   */
  default String clientHost(int id) {
    return host(id);
  }

  int clientPort(int id);

  int raftPort(int id);

  /** JVM options member {@code id} needs on this network; none by default. */
  default List<String> jvmArgs(int id) {
    return List.of();
  }

  /** The command that runs {@code command} where member {@code id} lives. */
  List<String> wrap(int id, List<String> command);

  /** True when {@link #apply} can cut and degrade links (partitions, loss). */
  boolean supportsLinkFaults();

  /**
   * Replaces every member's link rules with {@code rules} (members not named get none).
   *
   * @throws UnsupportedOperationException when {@link #supportsLinkFaults()} is false
   */
  void apply(Map<Integer, LinkRules> rules);

  /** Removes every link rule; links are as at the start. */
  void healLinks();

  /** Removes everything the network created. Idempotent. */
  @Override
  void close();
}
