package coord.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code cluster ...}: commands about the cluster rather than the tree. */
@Command(name = "cluster", mixinStandardHelpOptions = true, description = "Cluster administration.",
    subcommands = ClusterStatusCommand.class)
final class ClusterCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand: status");
  }
}
