package coord.it.fault;

import coord.it.cluster.ProcessCluster;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/** Picks the members a fault hits. */
final class Targets {
  private static final Duration LEADER_WAIT = Duration.ofSeconds(20);

  private Targets() {}

  static int leader(ProcessCluster cluster) {
    return cluster.awaitLeader(LEADER_WAIT);
  }

  /** A member that is not the leader, chosen at random. */
  static int follower(ProcessCluster cluster, Random random) {
    int leader = leader(cluster);
    List<Integer> others = others(cluster, leader);
    return others.get(random.nextInt(others.size()));
  }

  static int any(ProcessCluster cluster, Random random) {
    return cluster.ids().get(random.nextInt(cluster.ids().size()));
  }

  static List<Integer> others(ProcessCluster cluster, int id) {
    return cluster.ids().stream().filter(m -> m != id).toList();
  }

  static Set<Integer> otherSet(ProcessCluster cluster, int id) {
    return cluster.ids().stream().filter(m -> m != id).collect(Collectors.toSet());
  }
}
