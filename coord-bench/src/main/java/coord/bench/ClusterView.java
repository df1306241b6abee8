package coord.bench;

import coord.api.v1.Role;
import coord.api.v1.StatusResponse;
import coord.client.CoordClient;
import coord.client.CoordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** What the members say about themselves ({@code Admin.Status} of each endpoint): who leads, who is up. */
final class ClusterView {
  /** How long one status call may take: a frozen member never answers. */
  private static final Duration STATUS_BUDGET = Duration.ofMillis(500);

  /** The leader as one member sees it: its node number (as in {@code server.N}) and client endpoint. */
  record Leader(int node, String endpoint, long term) {}

  private final CoordClient client;
  private final List<String> endpoints;

  /** @param client used for status calls only (they go to exactly the endpoint asked) */
  ClusterView(CoordClient client, List<String> endpoints) {
    this.client = client;
    this.endpoints = List.copyOf(endpoints);
  }

  /** The status of every endpoint that answered within the budget. */
  Map<String, StatusResponse> statuses() throws InterruptedException {
    return statuses(endpoints);
  }

  private Map<String, StatusResponse> statuses(List<String> asked) throws InterruptedException {
    Map<String, CompletableFuture<StatusResponse>> calls = new HashMap<>();
    for (String e : asked) {
      calls.put(e, client.statusAsync(e));
    }
    Map<String, StatusResponse> answers = new HashMap<>();
    long deadline = System.nanoTime() + STATUS_BUDGET.toNanos();
    for (Map.Entry<String, CompletableFuture<StatusResponse>> c : calls.entrySet()) {
      try {
        answers.put(c.getKey(), c.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      } catch (ExecutionException | TimeoutException e) {
        c.getValue().cancel(true); // down or frozen: not an answer
      }
    }
    return answers;
  }

  /** The member that says it is the leader, if one does (among those that answered). */
  Optional<Leader> leader() throws InterruptedException {
    return leaderAmong(statuses());
  }

  /**
   * The leader as the members other than {@code old} see it, not asking {@code old} (which, frozen, would
   * not answer, and still thinks it leads).
   */
  Optional<Leader> leaderOtherThan(Leader old) throws InterruptedException {
    Map<String, StatusResponse> s = statuses(endpoints.stream().filter(e -> !e.equals(old.endpoint())).toList());
    s.values().removeIf(r -> nodeOf(r) == old.node());
    return leaderAmong(s);
  }

  /**
   * Waits until every endpoint answers and all name the same leader, whose node is the one that says it
   * leads: a cluster fit for the next round.
   *
   * @throws DrillException when that does not happen within {@code limit}
   */
  Leader awaitHealthy(Duration limit) throws DrillException, InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    String last = "no answer";
    while (true) {
      Map<String, StatusResponse> s = statuses();
      Optional<Leader> leader = leaderAmong(s);
      if (s.size() == endpoints.size() && leader.isPresent()
          && s.values().stream().allMatch(r -> r.getLeaderId().equals(Integer.toString(leader.get().node())))) {
        return leader.get();
      }
      last = describe(s);
      if (System.nanoTime() > deadline) {
        throw new DrillException("the cluster is not healthy after " + limit.toSeconds() + " s: " + last, true);
      }
      TimeUnit.MILLISECONDS.sleep(100); // polling the members' own view: nothing to subscribe to
    }
  }

  private Optional<Leader> leaderAmong(Map<String, StatusResponse> s) {
    return s.entrySet().stream()
        .filter(e -> e.getValue().getRole() == Role.LEADER)
        .max((a, b) -> Long.compare(a.getValue().getTerm(), b.getValue().getTerm()))
        .map(e -> new Leader(nodeOf(e.getValue()), e.getKey(), e.getValue().getTerm()));
  }

  /** The node number of a member's own status: its id is {@code N} of {@code server.N}. */
  static int nodeOf(StatusResponse s) {
    try {
      return Integer.parseInt(s.getId());
    } catch (NumberFormatException e) {
      throw new CoordException(coord.api.v1.ErrorCode.INTERNAL, null, "member id '" + s.getId() + "' is not a number");
    }
  }

  private String describe(Map<String, StatusResponse> s) {
    List<String> parts = new ArrayList<>();
    for (String e : endpoints) {
      StatusResponse r = s.get(e);
      parts.add(e + (r == null ? " no answer" : " " + r.getRole() + " leader=" + r.getLeaderId()));
    }
    return String.join(", ", parts);
  }
}
