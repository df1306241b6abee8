package coord.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import coord.api.v1.StatusResponse;
import coord.client.CoordClient;
import coord.client.CoordException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;

/**
 * {@code cluster status}: asks every endpoint for its status, in parallel, and prints one line (or JSON
 * object) per endpoint, {@code DOWN} with the reason for one that does not answer. Exits 0 if some node
 * knows a leader, else 5.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "One line per endpoint: id, endpoint, role, leader, term, applied index, znodes; "
        + "exit 0 if some node knows a leader, else 5.")
final class ClusterStatusCommand extends ClientCommand {

  @Override
  int run(CoordClient client, Output output) {
    List<String> endpoints = client.endpoints();
    List<CompletableFuture<StatusResponse>> answers = new ArrayList<>();
    for (String endpoint : endpoints) {
      answers.add(client.statusAsync(endpoint));
    }
    boolean leaderKnown = false;
    for (int i = 0; i < endpoints.size(); i++) {
      String endpoint = endpoints.get(i);
      try {
        StatusResponse status = answers.get(i).join();
        leaderKnown |= !status.getLeaderId().isEmpty();
        print(endpoint, status, output);
      } catch (CompletionException e) {
        printDown(endpoint, CoordException.fromThrowable(e.getCause()), output);
      }
    }
    return leaderKnown ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
  }

  private static void print(String endpoint, StatusResponse s, Output output) {
    String leader = s.getLeaderId().isEmpty() ? "-" : s.getLeaderId();
    if (output.json()) {
      output.object(Output.newObject()
          .put("endpoint", endpoint)
          .put("id", s.getId())
          .put("role", s.getRole().name())
          .put("leader", s.getLeaderId())
          .put("term", s.getTerm())
          .put("commitIndex", s.getCommitIndex())
          .put("appliedIndex", s.getAppliedIndex())
          .put("lastZxid", s.getLastZxid())
          .put("znodes", s.getZnodeCount())
          .put("digest", s.getDigest()));
    } else {
      output.line(String.format("id=%s endpoint=%s role=%s leader=%s term=%d applied=%d znodes=%d",
          s.getId(), endpoint, s.getRole().name(), leader, s.getTerm(), s.getAppliedIndex(),
          s.getZnodeCount()));
    }
  }

  private static void printDown(String endpoint, CoordException e, Output output) {
    if (output.json()) {
      ObjectNode node = Output.newObject()
          .put("endpoint", endpoint)
          .put("role", "DOWN")
          .put("error", e.code().name())
          .put("message", e.getMessage());
      output.object(node);
    } else {
      output.line(String.format("id=- endpoint=%s role=DOWN reason=%s", endpoint, e.getMessage()));
    }
  }

  @Override
  String path() {
    return null;
  }
}
