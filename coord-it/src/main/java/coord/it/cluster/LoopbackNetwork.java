package coord.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every member on 127.0.0.1 with free ports. Links cannot be cut: the nemeses fall back to process faults. */
public final class LoopbackNetwork implements ClusterNetwork {
  private static final String HOST = "127.0.0.1";
  private static final int MAX_PORT_ATTEMPTS = 100;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();
  private final Map<Integer, int[]> ports = new HashMap<>();

  public LoopbackNetwork(List<Integer> ids) {
    for (int id : ids) {
      ports.put(id, new int[] {freePort(), freePort()});
    }
  }

  /**
   * A port free now and not handed out before in this JVM. The kernel may offer a port it just closed
   * again: two members of one cluster were once given the same one, and the second could not bind it.
   */
  static int freePort() {
    for (int attempt = 0; attempt < MAX_PORT_ATTEMPTS; attempt++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
        port = s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("no free port on " + HOST, e);
      }
      if (HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no port on " + HOST + " that was not handed out before, after "
        + MAX_PORT_ATTEMPTS + " attempts");
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
