package coord.it.fault;

import coord.it.cluster.LinkRules;
import coord.it.cluster.ProcessCluster;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Cuts links between members: nft DROP rules with network namespaces, discarded bytes with link proxies
 * (never on plain loopback). Clients still reach every
 * member, so a cut-off member keeps answering them: the stale-read case of Jepsen's etcd 0.4 and Consul
 * analyses. Shapes follow Jepsen's combined nemesis.
 */
public final class PartitionNemesis implements Nemesis {

  /** Which links are cut. */
  public enum Shape {
    /** The leader loses both peers ({@code :primaries}). */
    LEADER("partition-leader"),
    /** A follower loses both peers: a majority/minority split that keeps the leader on the majority. */
    FOLLOWER("partition-follower"),
    /** n1-n2 and n2-n3 up, n1-n3 cut ({@code :majorities-ring} on three members). */
    BRIDGE("bridge"),
    /** The leader hears nothing from its followers but still reaches them. */
    ONE_WAY("one-way"),
    /** 30 % of the packets between one member and its peers are lost, both ways. */
    LOSS("loss");

    private final String kind;

    Shape(String kind) {
      this.kind = kind;
    }
  }

  static final int LOSS_PERCENT = 30;
  private final Shape shape;

  public PartitionNemesis(Shape shape) {
    this.shape = shape;
  }

  @Override
  public String kind() {
    return shape.kind;
  }

  @Override
  public boolean hitsLeader() {
    return shape == Shape.LEADER || shape == Shape.ONE_WAY;
  }

  @Override
  public Injected inject(ProcessCluster cluster, Random random) {
    Map<Integer, LinkRules> rules = new HashMap<>();
    List<Integer> targets;
    switch (shape) {
      case LEADER, FOLLOWER -> {
        int t = shape == Shape.LEADER ? Targets.leader(cluster) : Targets.follower(cluster, random);
        rules.put(t, LinkRules.cut(Targets.otherSet(cluster, t)));
        targets = List.of(t);
      }
      case BRIDGE -> {
        int middle = Targets.any(cluster, random);
        List<Integer> ends = Targets.others(cluster, middle);
        rules.put(ends.get(0), LinkRules.cut(Set.of(ends.get(1))));
        rules.put(ends.get(1), LinkRules.cut(Set.of(ends.get(0))));
        targets = ends;
      }
      case ONE_WAY -> {
        int t = Targets.leader(cluster);
        rules.put(t, LinkRules.deaf(Targets.otherSet(cluster, t)));
        targets = List.of(t);
      }
      case LOSS -> {
        int t = Targets.any(cluster, random);
        rules.put(t, LinkRules.lossy(Targets.otherSet(cluster, t), LOSS_PERCENT));
        targets = List.of(t);
      }
      default -> throw new IllegalStateException("unknown shape " + shape);
    }
    cluster.network().apply(rules);
    return new Injected() {
      @Override
      public List<Integer> targets() {
        return targets;
      }

      @Override
      public void heal() {
        cluster.network().healLinks();
      }
    };
  }
}
