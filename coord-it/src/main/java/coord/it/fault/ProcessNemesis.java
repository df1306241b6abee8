package coord.it.fault;

import coord.it.cluster.ProcessCluster;
import java.util.List;
import java.util.Random;
import java.util.function.ObjIntConsumer;

/**
 * A fault on one member's process, the leader or a follower: kill -9 (healing restarts it on its data)
 * or SIGSTOP (healing sends SIGCONT; a paused leader wakes up believing it still leads).
 */
public final class ProcessNemesis implements Nemesis {

  /** What happens to the member's process, and how it is healed. */
  public enum Action {
    KILL("kill", ProcessCluster::kill, ProcessCluster::restart),
    PAUSE("pause", ProcessCluster::pause, ProcessCluster::resume);

    private final String name;
    private final ObjIntConsumer<ProcessCluster> apply;
    private final ObjIntConsumer<ProcessCluster> heal;

    Action(String name, ObjIntConsumer<ProcessCluster> apply, ObjIntConsumer<ProcessCluster> heal) {
      this.name = name;
      this.apply = apply;
      this.heal = heal;
    }
  }

  private final Action action;
  private final boolean leader;

  public ProcessNemesis(Action action, boolean leader) {
    this.action = action;
    this.leader = leader;
  }

  @Override
  public String kind() {
    return action.name + (leader ? "-leader" : "-follower");
  }

  @Override
  public boolean hitsLeader() {
    return leader;
  }

  @Override
  public Injected inject(ProcessCluster cluster, Random random) {
    int target = leader ? Targets.leader(cluster) : Targets.follower(cluster, random);
    action.apply.accept(cluster, target);
    return new Injected() {
      @Override
      public List<Integer> targets() {
        return List.of(target);
      }

      @Override
      public void heal() {
        action.heal.accept(cluster, target);
      }
    };
  }
}
