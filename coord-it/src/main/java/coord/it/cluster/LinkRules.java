package coord.it.cluster;

import java.util.Set;

/**
 * What one member's links drop, as seen from that member.
 *
 * @param dropFrom peers whose packets this member never receives
 * @param dropTo peers this member's packets never reach
 * @param lossPeers peers whose packets to and from this member are lost at random
 * @param lossPercent the share of {@code lossPeers} packets lost, 0..100
 */
public record LinkRules(Set<Integer> dropFrom, Set<Integer> dropTo, Set<Integer> lossPeers, int lossPercent) {

  public LinkRules {
    dropFrom = Set.copyOf(dropFrom);
    dropTo = Set.copyOf(dropTo);
    lossPeers = Set.copyOf(lossPeers);
    if (lossPercent < 0 || lossPercent > 100) {
      throw new IllegalArgumentException("lossPercent must be in 0..100, got " + lossPercent);
    }
  }

  /** Cut both directions to and from {@code peers}. */
  public static LinkRules cut(Set<Integer> peers) {
    return new LinkRules(peers, peers, Set.of(), 0);
  }

  /** Receive nothing from {@code peers}; still send to them. */
  public static LinkRules deaf(Set<Integer> peers) {
    return new LinkRules(peers, Set.of(), Set.of(), 0);
  }

  /** Lose {@code percent} % of the packets to and from {@code peers}. */
  public static LinkRules lossy(Set<Integer> peers, int percent) {
    return new LinkRules(Set.of(), Set.of(), peers, percent);
  }

  public boolean isEmpty() {
    return dropFrom.isEmpty() && dropTo.isEmpty() && (lossPeers.isEmpty() || lossPercent == 0);
  }
}
