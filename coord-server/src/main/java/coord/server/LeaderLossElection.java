package coord.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.grpc.RaftServerProtocolServiceGrpc;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.thirdparty.io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import org.apache.ratis.thirdparty.io.grpc.Metadata;
import org.apache.ratis.thirdparty.io.grpc.ServerCall;
import org.apache.ratis.thirdparty.io.grpc.ServerCallHandler;
import org.apache.ratis.thirdparty.io.grpc.ServerInterceptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an election as soon as the leader's process is gone, instead of an election timeout later.
 *
 * <p>Ratis' follower notices a dead leader only when its timer, woken every random election timeout,
 * finds no message for a whole timeout: 0.5–2 s with the defaults. A leader killed with {@code kill -9}
 * or stopped closes its connections at once, though, and its Raft port then refuses new ones. So when
 * a leader's append stream to this member ends, this member connects to the leader's Raft port; only a
 * refused connection (nothing listens there: the leader's process is gone) starts an election, and then
 * without pre-vote, which a member that has just heard from the leader would refuse. A leader that is
 * frozen or cut off accepts connections or stays silent: that is left to the election timers, as before.
 * The survivors go one after another, {@code staggerMs} apart, so that two do not split the vote, and a
 * later one goes only if the term has not moved since the stream ended (the vote request of an earlier
 * one moves it). The first should hold the longest log, or the others refuse it their votes and the
 * election timers decide after all: a survivor behind the leader's last announced commit index goes after
 * the others (that commit is on a majority, so another survivor has more), and so does one that has not
 * applied that much yet (a member restarted a little earlier, still replaying its log: as leader it
 * could serve no write before it caught up, 9 s in one drill); within each group they go in id order.
 */
final class LeaderLossElection {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderLossElection.class);
  /** Committed entries a survivor may still have to apply and go first: a few batches' worth. */
  static final long MAX_APPLY_BACKLOG = 100;
  private static final String APPEND_ENTRIES =
      RaftServerProtocolServiceGrpc.getAppendEntriesMethod().getFullMethodName();

  /** What this needs of the local Raft member. */
  interface Member {
    /** The leader this member follows; null when it is not a follower or knows no leader. */
    RaftPeerId followedLeader();

    long currentTerm();

    /** Every member of the current configuration, this one included. */
    List<RaftPeerId> members();

    /** The index of this member's last log entry. */
    long lastIndex();

    /** The index of the last entry this member's state machine applied. */
    long appliedIndex();

    /** The commit index {@code member} last announced to this one; -1 if none. */
    long commitIndexOf(RaftPeerId member);

    /** Asks the local Raft server to start an election now; true if it did. */
    boolean startElection(RaftPeerId formerLeader) throws IOException;
  }

  /** What a connection attempt to a member's Raft port found. */
  enum Reach { REFUSED, ACCEPTED, NO_ANSWER }

  /** Tries to connect to a member's Raft port. */
  interface Probe {
    Reach connect(RaftPeerId member);
  }

  private final RaftPeerId self;
  private final Member member;
  private final Probe probe;
  private final ScheduledExecutorService timer;
  private final int probes;
  private final long probeIntervalMs;
  private final long staggerMs;
  /** Append streams opened by each member: a leader that opens a new one is alive. */
  private final Map<RaftPeerId, AtomicLong> streamsOpened = new ConcurrentHashMap<>();
  private final AtomicLong elections = new AtomicLong();
  /** Leaders (and terms) being probed: a leader's several streams end together, one probe each is enough. */
  private final Set<String> probing = ConcurrentHashMap.newKeySet();

  /**
   * @param probes connection attempts after a stream ends, {@code probeIntervalMs} apart: a leader that
   *     is shutting down closes its streams before its port
   */
  LeaderLossElection(RaftPeerId self, Member member, Probe probe, ScheduledExecutorService timer, int probes,
      long probeIntervalMs, long staggerMs) {
    this.self = self;
    this.member = member;
    this.probe = probe;
    this.timer = timer;
    this.probes = probes;
    this.probeIntervalMs = probeIntervalMs;
    this.staggerMs = staggerMs;
  }

  /** Elections this member started because its leader's process was gone. */
  long elections() {
    return elections.get();
  }

  /** Watches the append streams that reach Ratis' gRPC server; install it on that server. */
  ServerInterceptor interceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        ServerCall.Listener<Q> listener = next.startCall(call, headers);
        if (!APPEND_ENTRIES.equals(call.getMethodDescriptor().getFullMethodName())) {
          return listener;
        }
        return new SimpleForwardingServerCallListener<>(listener) {
          private RaftPeerId sender;

          @Override
          public void onMessage(Q message) {
            if (sender == null && message instanceof AppendEntriesRequestProto request) {
              sender = RaftPeerId.valueOf(request.getServerRequest().getRequestorId());
              streamOpened(sender);
            }
            super.onMessage(message);
          }

          @Override
          public void onHalfClose() {
            super.onHalfClose();
            ended();
          }

          @Override
          public void onCancel() {
            super.onCancel();
            ended();
          }

          private void ended() {
            if (sender != null) {
              streamEnded(sender);
            }
          }
        };
      }
    };
  }

  void streamOpened(RaftPeerId sender) {
    streamsOpened.computeIfAbsent(sender, s -> new AtomicLong()).incrementAndGet();
  }

  /** Called on the network thread: only looks, and leaves the probing to the timer's thread. */
  void streamEnded(RaftPeerId sender) {
    if (!sender.equals(member.followedLeader())) {
      return;
    }
    long term = member.currentTerm();
    long opened = opened(sender);
    if (probing.add(sender + "@" + term)) {
      timer.execute(() -> probe(sender, term, opened, 1));
    }
  }

  private void done(RaftPeerId leader, long term) {
    probing.remove(leader + "@" + term);
  }

  private long opened(RaftPeerId sender) {
    AtomicLong n = streamsOpened.get(sender);
    return n == null ? 0 : n.get();
  }

  /** Still following {@code leader} in {@code term}, and it has not opened a new stream since. */
  private boolean unchanged(RaftPeerId leader, long term, long opened) {
    return leader.equals(member.followedLeader()) && member.currentTerm() == term && opened(leader) == opened;
  }

  private void probe(RaftPeerId leader, long term, long opened, int attempt) {
    if (!unchanged(leader, term, opened)) {
      done(leader, term);
      return;
    }
    Reach reach = probe.connect(leader);
    if (reach == Reach.REFUSED) {
      long delay = delayMs(leader);
      LOG.info("leader {} of term {} refuses connections: its process is gone; electing in {} ms", leader, term,
          delay);
      timer.schedule(() -> elect(leader, term, opened), delay, TimeUnit.MILLISECONDS);
    } else if (attempt < probes) {
      timer.schedule(() -> probe(leader, term, opened, attempt + 1), probeIntervalMs, TimeUnit.MILLISECONDS);
    } else {
      LOG.debug("leader {} of term {} ended a stream but {}: left to the election timer", leader, term, reach);
      done(leader, term);
    }
  }

  /** How long this member waits before it stands: its place among the survivors, times the stagger. */
  long delayMs(RaftPeerId leader) {
    List<RaftPeerId> survivors = member.members().stream()
        .filter(m -> !m.equals(leader))
        .sorted(LeaderLossElection::byId)
        .toList();
    long last = member.lastIndex();
    long commit = member.commitIndexOf(leader);
    boolean caughtUp = last >= commit && commit - member.appliedIndex() <= MAX_APPLY_BACKLOG;
    int group = caughtUp ? 0 : 1;
    return (long) (group * survivors.size() + survivors.indexOf(self)) * staggerMs;
  }

  private static int byId(RaftPeerId a, RaftPeerId b) {
    String x = a.toString();
    String y = b.toString();
    return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
  }

  private void elect(RaftPeerId leader, long term, long opened) {
    done(leader, term);
    if (!unchanged(leader, term, opened)) {
      LOG.info("not electing: the leader or term changed since leader {} of term {} went away", leader, term);
      return;
    }
    try {
      if (member.startElection(leader)) {
        elections.incrementAndGet();
        LOG.info("started an election after leader {} of term {} went away", leader, term);
      } else {
        LOG.info("Raft refused to start an election after leader {} of term {} went away; the timer will",
            leader, term);
      }
    } catch (IOException e) {
      LOG.warn("could not start an election after leader {} of term {} went away", leader, term, e);
    }
  }

  /** Connects to a Raft address over TCP: refused, accepted, or no answer within {@code timeoutMs}. */
  static Reach connect(InetSocketAddress address, int timeoutMs) {
    try (Socket socket = new Socket()) {
      socket.connect(address, timeoutMs);
      return Reach.ACCEPTED;
    } catch (ConnectException e) {
      return Reach.REFUSED;
    } catch (IOException e) {
      LOG.debug("probe of {}: {}", address, e.toString());
      return Reach.NO_ANSWER;
    }
  }
}
