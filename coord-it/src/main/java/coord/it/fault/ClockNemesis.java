package coord.it.fault;

import coord.it.cluster.ProcessCluster;
import java.util.List;
import java.util.Random;

/**
 * Jumps the wall clock of the member started with a shifted clock ({@code --clock}) by an hour, forward or
 * back; healing jumps it back to real time. Raft's timers use the monotonic clock, so this tests coord's own uses of wall time
 * (session expiry, TTLs, mtime).
 */
public final class ClockNemesis implements Nemesis {

  @Override
  public String kind() {
    return "clock-jump";
  }

  @Override
  public boolean hitsLeader() {
    return false;
  }

  @Override
  public Injected inject(ProcessCluster cluster, Random random) {
    int target = cluster.clockMember().orElseThrow(() -> new IllegalStateException("no member runs with a shifted clock (--clock)"));
    cluster.setClockOffset(random.nextBoolean() ? "+1h" : "-1h");
    return new Injected() {
      @Override
      public List<Integer> targets() {
        return List.of(target);
      }

      @Override
      public void heal() {
        cluster.setClockOffset("+0");
      }
    };
  }
}
