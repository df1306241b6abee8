package coord.it.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/** Every member on 127.0.0.1 with free ports. Links cannot be cut: the nemeses fall back to process faults. */
public final class LoopbackNetwork implements ClusterNetwork {
  private static final String HOST = "127.0.0.1";
  private static final int FIRST_PORT = 20000;
  private static final int PORT_COUNT = 12768;
  private static final int MAX_PORT_ATTEMPTS = 10_000;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  private final Map<Integer, int[]> ports = new HashMap<>();

  public LoopbackNetwork(List<Integer> ids) {
    for (int id : ids) {
      ports.put(id, new int[] {freePort(), freePort()});
    }
  }

  /**
   * A free loopback port not handed out before in this JVM, below Linux's ephemeral range as
   * coord.server.TestCluster picks them: an ephemeral port can be offered twice (two members of one
   * cluster were once given the same one) or taken by an outgoing connection before its member binds it.
   */
  static int freePort() {
    for (int attempt = 0; attempt < MAX_PORT_ATTEMPTS; attempt++) {
      int port = FIRST_PORT + ThreadLocalRandom.current().nextInt(PORT_COUNT);
      if (HANDED_OUT.contains(port)) {
        continue;
      }
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(HOST, port));
      } catch (IOException taken) {
        continue;
      }
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port on " + HOST + " in " + FIRST_PORT + "-"
        + (FIRST_PORT + PORT_COUNT - 1) + " after " + MAX_PORT_ATTEMPTS + " attempts");
  }

  @Override
  public String mode() {
    return "loopback";
  }

  @Override
  public String host(int id) {
    return HOST;
  }

  @Override
  public int clientPort(int id) {
    return ports.get(id)[0];
  }

  @Override
  public int raftPort(int id) {
    return ports.get(id)[1];
  }

  @Override
  public List<String> wrap(int id, List<String> command) {
    return command;
  }

  @Override
  public boolean supportsLinkFaults() {
    return false;
  }

  @Override
  public void apply(Map<Integer, LinkRules> rules) {
    throw new UnsupportedOperationException("loopback network: links cannot be cut (needs root, ip and nft)");
  }

  @Override
  public void healLinks() {
    // nothing was cut
  }

  @Override
  public void close() {
    // nothing was created
  }
}
