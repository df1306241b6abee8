package coord.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code removewatches path}: zkCli's, meaningful only where watches outlive a command (an interactive
 * shell). A one-shot command's watches end with it, so this one explains that and exits 2.
 */
@Command(name = "removewatches", mixinStandardHelpOptions = true,
    description = "Interactive shell only: a one-shot command's watches end with the command. Exits 2.")
final class RemoveWatchesCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** zkCli's arguments ({@code path [-c|-d|-a] [-l]}), accepted and ignored. */
  @Unmatched
  List<String> args;

  @Override
  public Integer call() {
    Main main = (Main) spec.root().userObject();
    Output output = new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), main.global.json());
    return output.usageError("removewatches is meaningful only in an interactive shell: the watches of a one-shot "
        + "command (get -w, ls -w, stat -w, addWatch, watch) end when that command ends, so there is none to remove");
  }
}
