package coord.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every member on 127.0.0.1 with free ports, and one TCP proxy in the driver JVM per directed link, so links
 * can be cut and degraded without root (Linux: any 127/8 address can be bound).
 *
 * <p>Ratis keeps the peer addresses in its log, so every member must name its peers with the same strings:
 * they are {@code coord-n<id>:<raft port>}. Each member JVM resolves those names through its own hosts file
 * ({@code -Djdk.net.hosts.file=<runDir>/n<id>.hosts}; the JDK then resolves nothing else, and gRPC resolves
 * through the JDK): member i's own name is 127.0.0.1, where it binds, and peer j's name is
 * {@code 127.77.<i>.<j>}, where the proxy of link i→j listens on j's raft and client ports and relays to
 * 127.0.0.1. Clients of the driver reach 127.0.0.1 directly, never through a proxy.
 *
 * <p>Faults are {@link LinkFaults}: a cut link's bytes are read and discarded (the sender sees silence, like
 * an nft DROP), in both kinds of connection a link carries (those i opened to j and those j opened to i);
 * loss holds chunks back instead of losing them. Healing resets every connection that lost bytes.
 */
public final class ProxyNetwork implements ClusterNetwork {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyNetwork.class);
  private static final String LOOPBACK = "127.0.0.1";

  private final List<Integer> ids;
  private final Path runDir;
  private final Map<Integer, int[]> ports = new HashMap<>();
  private final LinkFaults faults = new LinkFaults();
  private final List<LinkProxy> proxies = new ArrayList<>();
  private boolean closed;

  private ProxyNetwork(List<Integer> ids, Path runDir) {
    this.ids = List.copyOf(ids);
    this.runDir = runDir;
  }

  /**
   * Picks free ports, starts a proxy for every ordered pair of members and writes each member's hosts file
   * into {@code runDir}.
   *
   * @throws UncheckedIOException when a proxy cannot listen (not Linux?) or a file cannot be written
   */
  public static ProxyNetwork create(List<Integer> ids, Path runDir) {
    for (int id : ids) {
      if (id < 1 || id > 254) {
        throw new IllegalArgumentException("member ids must be in 1..254 (they name 127.77.i.j), got " + id);
      }
    }
    ProxyNetwork net = new ProxyNetwork(ids, runDir);
    try {
      net.build();
      return net;
    } catch (IOException e) {
      net.close();
      throw new UncheckedIOException("cannot set up the proxy network: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
  }

  private void build() throws IOException {
    for (int id : ids) {
      ports.put(id, new int[] {LoopbackNetwork.freePort(), LoopbackNetwork.freePort()});
    }
    InetAddress target = InetAddress.getByName(LOOPBACK);
    for (int i : ids) {
      for (int j : ids) {
        if (i != j) {
          proxies.add(LinkProxy.start(i, j, InetAddress.getByName(linkAddress(i, j)),
              List.of(raftPort(j), clientPort(j)), target, faults));
        }
      }
    }
    Files.createDirectories(runDir);
    for (int id : ids) {
      Files.writeString(hostsFile(id), hostsFileText(id));
    }
    LOG.info("proxy network: members on {}, link i->j through a proxy on 127.77.i.j", LOOPBACK);
  }

  /** Where the proxy of the link {@code from} → {@code to} listens. */
  static String linkAddress(int from, int to) {
    return "127.77." + from + "." + to;
  }

  /** Member {@code id}'s hosts file. */
  public Path hostsFile(int id) {
    return runDir.resolve("n" + id + ".hosts");
  }

  /** Member {@code id}'s view of the names: itself on 127.0.0.1, each peer behind its proxy. */
  String hostsFileText(int id) {
    StringBuilder sb = new StringBuilder("# coord-it proxy network, member ").append(id).append('\n')
        .append("127.0.0.1 localhost\n::1 localhost\n");
    for (int m : ids) {
      sb.append(m == id ? LOOPBACK : linkAddress(id, m)).append(' ').append(host(m)).append('\n');
    }
    return sb.toString();
  }

  @Override
  public String mode() {
    return "proxy";
  }

  /** The peer name every member uses for {@code id}; each member resolves it through its own hosts file. */
  @Override
  public String host(int id) {
    return "coord-n" + id;
  }

  @Override
  public String clientHost(int id) {
    return LOOPBACK;
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
  public List<String> jvmArgs(int id) {
    return List.of("-Djdk.net.hosts.file=" + hostsFile(id));
  }

  @Override
  public List<String> wrap(int id, List<String> command) {
    return command;
  }

  @Override
  public boolean supportsLinkFaults() {
    return true;
  }

  @Override
  public void apply(Map<Integer, LinkRules> rules) {
    List<LinkFaults.Connection> broken = faults.replace(rules);
    broken.forEach(LinkFaults.Connection::reset);
    LOG.debug("link rules {}; reset {} connections that lost bytes", rules, broken.size());
  }

  @Override
  public void healLinks() {
    apply(Map.of());
  }

  /** Connections the proxies relay now. */
  public int connections() {
    return proxies.stream().mapToInt(LinkProxy::connections).sum();
  }

  /** Listeners and threads of the proxies still alive (empty after {@link #close()}). */
  public List<String> leftovers() {
    List<String> left = new ArrayList<>();
    proxies.forEach(p -> left.addAll(p.leftovers()));
    return left;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    faults.replace(Map.of());
    proxies.forEach(LinkProxy::close);
    List<String> left = leftovers();
    if (!left.isEmpty()) {
      LOG.error("proxy network: still alive after close: {}", left);
    }
  }
}
