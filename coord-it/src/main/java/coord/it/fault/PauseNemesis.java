package coord.it.fault;

import coord.it.cluster.ProcessCluster;
import java.util.List;
import java.util.Random;

/** SIGSTOP the leader or a follower; healing sends SIGCONT. A paused leader wakes up believing it leads. */
public final class PauseNemesis implements Nemesis {
  private final boolean leader;

  public PauseNemesis(boolean leader) {
    this.leader = leader;
  }

  @Override
  public String kind() {
    return leader ? "pause-leader" : "pause-follower";
  }

  @Override
  public boolean hitsLeader() {
    return leader;
  }

  @Override
  public Injected inject(ProcessCluster cluster, Random random) {
    int target = leader ? Targets.leader(cluster) : Targets.follower(cluster, random);
    cluster.pause(target);
    return new Injected() {
      @Override
      public List<Integer> targets() {
        return List.of(target);
      }

      @Override
      public void heal() {
        cluster.resume(target);
      }
    };
  }
}
