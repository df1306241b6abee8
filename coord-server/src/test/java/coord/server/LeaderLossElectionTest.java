package coord.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import coord.server.LeaderLossElection.Reach;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ratis.protocol.RaftPeerId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaderLossElectionTest {
  private static final RaftPeerId N1 = RaftNode.peerId(1);
  private static final RaftPeerId N2 = RaftNode.peerId(2);
  private static final RaftPeerId N3 = RaftNode.peerId(3);
  private static final int PROBES = 4;

  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
  private final FakeMember member = new FakeMember();
  private final AtomicInteger probesMade = new AtomicInteger();

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  private LeaderLossElection detector(RaftPeerId self, Reach answer) {
    return new LeaderLossElection(self, member, peer -> {
      probesMade.incrementAndGet();
      return answer;
    }, timer, PROBES, 1, 1);
  }

  /** Waits until the timer has run {@code tasks} tasks and has nothing left to run. */
  private void awaitIdleAfter(int tasks) {
    await().atMost(Duration.ofSeconds(10))
        .until(() -> timer.getCompletedTaskCount() >= tasks && timer.getQueue().isEmpty());
  }

  @Test
  void aLeaderWhosePortRefusesConnectionsIsReplacedAtOnce() {
    LeaderLossElection d = detector(N2, Reach.REFUSED);
    d.streamOpened(N1);
    d.streamEnded(N1);
    await().atMost(Duration.ofSeconds(10)).until(() -> d.elections() == 1);
    assertThat(member.electionsAfter).containsExactly(N1);
    assertThat(probesMade).hasValue(1);
  }

  @Test
  void aLeaderThatStillAcceptsConnectionsIsLeftToTheElectionTimer() throws Exception {
    LeaderLossElection d = detector(N2, Reach.ACCEPTED);
    d.streamOpened(N1);
    d.streamEnded(N1);
    awaitIdleAfter(PROBES);
    assertThat(probesMade).hasValue(PROBES);
    assertThat(d.elections()).isZero();
    assertThat(member.electionsAfter).isEmpty();
  }

  @Test
  void aSilentLeaderIsLeftToTheElectionTimer() throws Exception {
    LeaderLossElection d = detector(N2, Reach.NO_ANSWER);
    d.streamEnded(N1);
    awaitIdleAfter(PROBES);
    assertThat(probesMade).hasValue(PROBES);
    assertThat(member.electionsAfter).isEmpty();
  }

  @Test
  void aStreamFromAMemberThatIsNotTheLeaderIsIgnored() throws Exception {
    LeaderLossElection d = detector(N2, Reach.REFUSED);
    d.streamEnded(N3);
    assertThat(timer.getTaskCount()).as("tasks handed to the timer").isZero();
    assertThat(member.electionsAfter).isEmpty();
  }

  @Test
  void aLeaderThatOpensANewStreamIsAlive() throws Exception {
    AtomicReference<LeaderLossElection> ref = new AtomicReference<>();
    LeaderLossElection d = new LeaderLossElection(N2, member, peer -> {
      // the leader reconnects while this member probes: probing stops without an election
      ref.get().streamOpened(N1);
      probesMade.incrementAndGet();
      return Reach.ACCEPTED;
    }, timer, PROBES, 1, 1);
    ref.set(d);
    d.streamEnded(N1);
    awaitIdleAfter(2); // the probe, and the next one, which finds the new stream
    assertThat(probesMade).hasValue(1);
    assertThat(member.electionsAfter).isEmpty();
  }

  @Test
  void theSecondSurvivorStandsBackWhenTheFirstHasMovedTheTerm() throws Exception {
    // n3 ranks second among the survivors (n2, n3): it waits the stagger, by which time n2's vote request
    // has raised the term
    LeaderLossElection d = new LeaderLossElection(N3, member, peer -> {
      member.term.incrementAndGet();
      return Reach.REFUSED;
    }, timer, PROBES, 1, 200);
    d.streamEnded(N1);
    awaitIdleAfter(2); // the probe, and the election, which finds the term moved
    assertThat(member.electionsAfter).isEmpty();
  }

  @Test
  void theSecondSurvivorStandsWhenNobodyElseDid() {
    LeaderLossElection d = new LeaderLossElection(N3, member, peer -> Reach.REFUSED, timer, PROBES, 1, 20);
    d.streamEnded(N1);
    await().atMost(Duration.ofSeconds(10)).until(() -> d.elections() == 1);
  }

  /**
   * A survivor behind the leader's last announced commit stands after the others, which hold more (they
   * would refuse it their votes), and so does one far behind in applying it; id order otherwise. Two
   * survivors (n2, n3), stagger 100 ms.
   */
  @Test
  void aSurvivorBehindTheLeadersCommitStandsLast() {
    LeaderLossElection n2 = new LeaderLossElection(N2, member, peer -> Reach.REFUSED, timer, PROBES, 1, 100);
    LeaderLossElection n3 = new LeaderLossElection(N3, member, peer -> Reach.REFUSED, timer, PROBES, 1, 100);
    member.leaderCommit.set(100);
    member.lastIndex.set(101);
    assertThat(List.of(n2.delayMs(N1), n3.delayMs(N1))).containsExactly(0L, 100L);
    member.lastIndex.set(100);
    assertThat(List.of(n2.delayMs(N1), n3.delayMs(N1))).containsExactly(0L, 100L);
    member.lastIndex.set(99);
    assertThat(List.of(n2.delayMs(N1), n3.delayMs(N1))).containsExactly(200L, 300L);
    // the whole log, but still replaying it: as leader it would serve nothing until it caught up
    member.lastIndex.set(100);
    member.appliedIndex.set(100 - LeaderLossElection.MAX_APPLY_BACKLOG - 1);
    assertThat(List.of(n2.delayMs(N1), n3.delayMs(N1))).containsExactly(200L, 300L);
  }

  @Test
  void theProbeTellsARefusedPortFromAListeningOne() throws IOException {
    try (ServerSocket listening = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      InetSocketAddress open = new InetSocketAddress(listening.getInetAddress(), listening.getLocalPort());
      assertThat(LeaderLossElection.connect(open, 2000)).isEqualTo(Reach.ACCEPTED);
    }
    // the port just closed: nothing listens there any more
    InetSocketAddress closed;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
    }
    assertThat(LeaderLossElection.connect(closed, 2000)).isEqualTo(Reach.REFUSED);
  }

  /** Follows n1 in term 5 until an election starts, as Ratis' follower would. */
  private static final class FakeMember implements LeaderLossElection.Member {
    final AtomicLong term = new AtomicLong(5);
    final AtomicReference<RaftPeerId> leader = new AtomicReference<>(N1);
    final ConcurrentLinkedQueue<RaftPeerId> electionsAfter = new ConcurrentLinkedQueue<>();
    final AtomicLong lastIndex = new AtomicLong(100);
    final AtomicLong appliedIndex = new AtomicLong(100);
    final AtomicLong leaderCommit = new AtomicLong(100);

    @Override
    public RaftPeerId followedLeader() {
      return leader.get();
    }

    @Override
    public long currentTerm() {
      return term.get();
    }

    @Override
    public List<RaftPeerId> members() {
      return List.of(N3, N1, N2);
    }

    @Override
    public long lastIndex() {
      return lastIndex.get();
    }

    @Override
    public long appliedIndex() {
      return appliedIndex.get();
    }

    @Override
    public long commitIndexOf(RaftPeerId m) {
      return m.equals(N1) ? leaderCommit.get() : -1;
    }

    @Override
    public boolean startElection(RaftPeerId formerLeader) {
      electionsAfter.add(formerLeader);
      leader.set(null);
      term.incrementAndGet();
      return true;
    }
  }
}
