package coord.it.fault;

import coord.it.cluster.ProcessCluster;
import java.util.List;
import java.util.Random;

/** kill -9 the leader or a follower; healing restarts it on its data. */
public final class KillNemesis implements Nemesis {
  private final boolean leader;

  public KillNemesis(boolean leader) {
    this.leader = leader;
  }

  @Override
  public String kind() {
    return leader ? "kill-leader" : "kill-follower";
  }

  @Override
  public boolean hitsLeader() {
    return leader;
  }

  @Override
  public Injected inject(ProcessCluster cluster, Random random) {
    int target = leader ? Targets.leader(cluster) : Targets.follower(cluster, random);
    cluster.kill(target);
    return new Injected() {
      @Override
      public List<Integer> targets() {
        return List.of(target);
      }

      @Override
      public void heal() {
        cluster.restart(target);
      }
    };
  }
}
