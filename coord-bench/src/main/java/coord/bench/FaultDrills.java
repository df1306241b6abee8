package coord.bench;

import coord.api.v1.CreateMode;
import coord.api.v1.ErrorCode;
import coord.client.CoordClient;
import coord.client.CoordException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * Runs a fault drill ({@code failover} or {@code session-expiry}) from {@link Main}: creates the prefix,
 * runs the rounds, prints the report, deletes the prefix. Returns the exit code.
 */
final class FaultDrills {
  private FaultDrills() {}

  static int run(FaultSettings s, boolean json, PrintWriter out, PrintWriter err) throws InterruptedException {
    FailoverDrill failover = null;
    if (s.workload() == Workload.FAILOVER) {
      try {
        failover = new FailoverDrill(s, err);
      } catch (DrillException e) {
        err.println("coord-bench: failover: " + e.getMessage());
        return Main.OTHER;
      }
    }
    try (CoordClient admin = CoordClient.builder().endpoints(s.endpoints()).requestTimeout(s.requestTimeout()).build()) {
      try {
        admin.create(s.prefix(), new byte[0], CreateMode.PERSISTENT);
      } catch (CoordException e) {
        if (e.code() == ErrorCode.NODE_EXISTS) {
          err.println("coord-bench: " + s.prefix() + " exists already: delete it (coord deleteall " + s.prefix()
              + ") or choose another --prefix");
          return Main.PREFIX_EXISTS;
        }
        err.println("coord-bench: setup failed: " + e.getMessage());
        return unavailable(e) ? Main.UNAVAILABLE : Main.OTHER;
      }
      try {
        Map<String, Object> report;
        String text;
        boolean ok;
        if (failover != null) {
          FailoverDrill.Result result = failover.run(admin);
          report = FaultReport.failover(s, result);
          text = FaultReport.failoverText(s, result);
          ok = result.rounds().stream().allMatch(r -> r.windowMs() != null && r.lost().isEmpty())
              && result.unwritableAfter().isEmpty() && result.stoppedBecause() == null;
        } else {
          List<SessionExpiryDrill.Round> rounds = new SessionExpiryDrill(s, err).run(admin);
          report = FaultReport.sessionExpiry(s, rounds);
          text = FaultReport.sessionExpiryText(s, rounds);
          ok = rounds.stream().allMatch(r -> r.allGoneMs() != null && r.remaining() == 0);
        }
        out.print(json ? FaultReport.json(report) + System.lineSeparator() : text);
        out.flush();
        return ok ? Main.OK : Main.OPS_FAILED;
      } catch (DrillException e) {
        err.println("coord-bench: " + s.workload().cliName + ": " + e.getMessage());
        return e.unavailable() ? Main.UNAVAILABLE : Main.OTHER;
      } catch (CoordException e) {
        err.println("coord-bench: " + s.workload().cliName + " failed: " + e.getMessage());
        return unavailable(e) ? Main.UNAVAILABLE : Main.OTHER;
      } finally {
        try {
          admin.deleteAll(s.prefix());
        } catch (CoordException e) {
          err.println("coord-bench: cleanup of " + s.prefix() + " failed: " + e.getMessage());
        }
      }
    }
  }

  private static boolean unavailable(CoordException e) {
    return e.code() == ErrorCode.UNAVAILABLE || e.code() == ErrorCode.TIMEOUT;
  }
}
