package coord.it.fault;

import coord.it.cluster.ProcessCluster;
import coord.it.fault.PartitionNemesis.Shape;
import coord.it.fault.ProcessNemesis.Action;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every nemesis, and the ones a given cluster can run. */
public final class FaultMenu {

  private FaultMenu() {}

  /** Every nemesis by kind, in a fixed order. */
  public static Map<String, Nemesis> all() {
    Map<String, Nemesis> all = new LinkedHashMap<>();
    for (Nemesis n : List.of(new ProcessNemesis(Action.KILL, true),
        new ProcessNemesis(Action.KILL, false), new ProcessNemesis(Action.PAUSE, true),
        new ProcessNemesis(Action.PAUSE, false), new PartitionNemesis(Shape.LEADER), new PartitionNemesis(Shape.FOLLOWER),
        new PartitionNemesis(Shape.BRIDGE), new PartitionNemesis(Shape.ONE_WAY), new PartitionNemesis(Shape.LOSS),
        new ClockNemesis())) {
      all.put(n.kind(), n);
    }
    return all;
  }

  /** The nemeses the run can use, and why the others are left out. */
  public record Selection(List<Nemesis> enabled, List<String> skipped) {
    public List<String> kinds() {
      return enabled.stream().map(Nemesis::kind).toList();
    }
  }

  /**
   * The nemeses among {@code wanted} (all when empty) that {@code cluster} supports: link faults need network
   * namespaces or link proxies, clock jumps a member with a shifted clock (--clock).
   *
   * @throws IllegalArgumentException for an unknown kind
   */
  public static Selection select(ProcessCluster cluster, Collection<String> wanted) {
    Map<String, Nemesis> all = all();
    for (String w : wanted) {
      if (!all.containsKey(w)) {
        throw new IllegalArgumentException("unknown fault kind '" + w + "'; known: " + all.keySet());
      }
    }
    List<Nemesis> enabled = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Nemesis n : all.values()) {
      if (!wanted.isEmpty() && !wanted.contains(n.kind())) {
        continue;
      }
      if (n instanceof PartitionNemesis && !cluster.network().supportsLinkFaults()) {
        skipped.add(n.kind() + " (needs network namespaces or link proxies: " + cluster.networkNote() + ")");
      } else if (n instanceof ClockNemesis && cluster.clockMember().isEmpty()) {
        skipped.add(n.kind() + " (needs a member with a shifted clock: --clock)");
      } else {
        enabled.add(n);
      }
    }
    return new Selection(enabled, skipped);
  }
}
