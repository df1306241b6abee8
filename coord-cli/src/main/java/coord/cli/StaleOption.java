package coord.cli;

import coord.api.v1.Consistency;
import picocli.CommandLine.Option;

/** {@code --stale}: read the serving node's local state instead of a linearizable read. */
final class StaleOption {
  @Option(names = "--stale", description = "Read the serving node's local state, without asking the leader.")
  boolean stale;

  Consistency consistency() {
    return stale ? Consistency.STALE : Consistency.LINEARIZABLE;
  }
}
