package coord.bench.peers;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import org.apache.zookeeper.client.HostProvider;

/**
 * The ZooKeeper client's list of servers, tried in the order given (the stock provider shuffles it): a
 * benchmark client talks to its first server while that one is up, like coord-bench's other clients, and
 * fails over to the next ones in turn.
 */
final class OrderedHostProvider implements HostProvider {
  private final List<InetSocketAddress> servers;
  private int next;
  /** Servers tried since the last connection; after a full round, {@link #next} waits as it is told. */
  private int triedSinceConnected;

  OrderedHostProvider(List<InetSocketAddress> servers) {
    if (servers.isEmpty()) {
      throw new IllegalArgumentException("no servers");
    }
    this.servers = List.copyOf(servers);
  }

  @Override
  public int size() {
    return servers.size();
  }

  @Override
  public synchronized InetSocketAddress next(long spinDelay) {
    if (triedSinceConnected >= servers.size() && spinDelay > 0) {
      // the contract of HostProvider: a full round without a connection backs off before the next one
      try {
        wait(spinDelay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    InetSocketAddress server = servers.get(next);
    next = (next + 1) % servers.size();
    triedSinceConnected++;
    return server.isUnresolved() ? new InetSocketAddress(server.getHostString(), server.getPort()) : server;
  }

  @Override
  public synchronized void onConnected() {
    triedSinceConnected = 0;
  }

  @Override
  public boolean updateServerList(Collection<InetSocketAddress> serverAddresses, InetSocketAddress currentHost) {
    return false; // a benchmark's server list does not change
  }
}
