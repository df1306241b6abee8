package coord.it.cluster;

import java.util.List;
import java.util.Map;

/**
 * Where the members live and how their traffic can be cut: plain loopback ({@link LoopbackNetwork}) or one
 * network namespace per member ({@link NamespaceNetwork}).
 */
public interface ClusterNetwork extends AutoCloseable {

  /** {@code loopback} or {@code netns}, for reports. */
  String mode();

  /** The address member {@code id} binds and is reached at. */
  String host(int id);

  int clientPort(int id);

  int raftPort(int id);

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
