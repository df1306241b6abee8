package coord.it.fault;

import coord.it.cluster.ProcessCluster;
import java.util.List;
import java.util.Random;

/** One kind of fault: injects it into the cluster and hands back how to heal it. */
public interface Nemesis {

  /** The fault kind as reported, e.g. {@code kill-leader}, {@code bridge}. */
  String kind();

  /** True when the fault stops the current leader, so the failover time is worth measuring. */
  boolean hitsLeader();

  /** Injects the fault now. {@code random} picks targets, so a seed repeats a run. */
  Injected inject(ProcessCluster cluster, Random random);

  /** A fault that is in effect. */
  interface Injected {
    /** Members the fault hit (for partitions: the minority side, or the cut pair). */
    List<Integer> targets();

    /** Undoes the fault: restart, resume, reconnect, reset the clock. */
    void heal();
  }
}
