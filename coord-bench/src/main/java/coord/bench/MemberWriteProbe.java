package coord.bench;

import coord.api.v1.CreateMode;
import coord.client.CoordClient;
import coord.client.CoordException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks that every member accepts a write through itself: one create per member by a client that knows
 * only that member. A member can answer status and still fail every write it is sent (e.g. its forwarding
 * path to the leader is broken); the failover drill must not count such a cluster as recovered.
 */
final class MemberWriteProbe {
  private final List<String> endpoints;
  private final Duration budget;

  MemberWriteProbe(List<String> endpoints, Duration budget) {
    this.endpoints = List.copyOf(endpoints);
    this.budget = budget;
  }

  /**
   * Creates {@code parent/NAME-i} through member i, for every member.
   *
   * @return the members whose write failed, with the error; empty when all accepted theirs
   */
  Map<String, String> failures(String parent, String name) {
    Map<String, String> failed = new LinkedHashMap<>();
    for (int i = 0; i < endpoints.size(); i++) {
      try (CoordClient c = CoordClient.builder().endpoints(endpoints.get(i)).requestTimeout(budget).build()) {
        c.create(parent + "/" + name + "-" + (i + 1), new byte[0], CreateMode.PERSISTENT);
      } catch (CoordException e) {
        failed.put(endpoints.get(i), e.getMessage());
      }
    }
    return failed;
  }
}
