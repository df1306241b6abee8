package coord.it.cluster;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The link rules a {@link ProxyNetwork}'s proxies enforce, and the relayed connections that lost bytes to
 * them. Thread-safe: pump threads call {@link #decide} once per chunk they read; the driver calls
 * {@link #replace}. Never blocks beyond its own monitor.
 *
 * <p>A chunk from member {@code src} to member {@code dst} is dropped when {@code src}'s rules drop what it
 * sends to {@code dst} or {@code dst}'s rules drop what it receives from {@code src}: the same two places
 * where {@link NamespaceNetwork} puts its nft rules. TCP cannot lose a packet, so loss is approximated by
 * what a lost segment costs the stream: with the rule's probability a chunk is held back for a
 * retransmission-like {@value #MIN_DELAY_MS}-{@value #MAX_DELAY_MS} ms (and everything behind it on that
 * connection waits too, as TCP's in-order delivery does). Nothing is reordered, duplicated or lost.
 */
final class LinkFaults {
  /** What {@link #decide} returns for a chunk that must be discarded. */
  static final long DROP = -1;
  static final int MIN_DELAY_MS = 200;
  static final int MAX_DELAY_MS = 400;

  /** A relayed connection whose byte stream is broken once a chunk of it was dropped. */
  interface Connection {
    /** Closes both sides with a TCP reset, so both ends reconnect. Must not block. */
    void reset();
  }

  private Map<Integer, LinkRules> rules = Map.of();
  private final Set<Connection> lostBytes = new HashSet<>();
  private long droppedChunks;

  /**
   * Decides the fate of one chunk that {@code connection} carries from {@code src} to {@code dst}: {@link #DROP},
   * or how many milliseconds to hold it back (0: forward it now). A dropped chunk marks the connection as
   * broken, to be reset by the next {@link #replace}.
   */
  synchronized long decide(int src, int dst, Connection connection) {
    LinkRules from = rules.get(src);
    LinkRules to = rules.get(dst);
    if ((from != null && from.dropTo().contains(dst)) || (to != null && to.dropFrom().contains(src))) {
      lostBytes.add(connection);
      droppedChunks++;
      return DROP;
    }
    int loss = Math.max(lossPercent(from, dst), lossPercent(to, src));
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return loss > 0 && random.nextInt(100) < loss ? random.nextInt(MIN_DELAY_MS, MAX_DELAY_MS + 1) : 0;
  }

  private static int lossPercent(LinkRules rules, int peer) {
    return rules != null && rules.lossPeers().contains(peer) ? rules.lossPercent() : 0;
  }

  /**
   * Installs {@code next} in place of every rule, and returns the connections that lost bytes so far: their
   * streams are corrupt, the caller resets them. Chunks decided after this call see {@code next}.
   */
  synchronized List<Connection> replace(Map<Integer, LinkRules> next) {
    rules = Map.copyOf(next);
    List<Connection> broken = List.copyOf(lostBytes);
    lostBytes.clear();
    return broken;
  }

  /** Chunks dropped since the start. */
  synchronized long droppedChunks() {
    return droppedChunks;
  }

  /** Forgets a connection that closed. */
  synchronized void forget(Connection connection) {
    lostBytes.remove(connection);
  }
}
