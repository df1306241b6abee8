package coord.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import coord.api.v1.Consistency;
import coord.api.v1.ErrorCode;
import coord.client.Children;
import coord.client.CoordClient;
import coord.client.CoordException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ls [-R] [-s] [-w] [--stale] path}: lists a node's children as zkCli does ({@code [a, b]}), or with
 * -R every path of the subtree, one per line, the start path first, depth-first in sorted order. With -w,
 * then waits for the node's next change of children (or its deletion) and prints it as zkCli does.
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
    description = "List a node's children; with -R, every path of its subtree.")
final class LsCommand extends ClientCommand {
  @Option(names = "-R", description = "Recursive: print every path of the subtree, depth-first, sorted.")
  boolean recursive;

  @Option(names = "-s", description = "Also print the node's stat (text: not with -R).")
  boolean stat;

  @Mixin
  StaleOption stale = new StaleOption();

  @Option(names = "-w", description = "Watch: after the listing, wait for the node's next change of children "
      + "(or its deletion) and print it.")
  boolean watch;

  @Mixin
  WaitOption wait = new WaitOption();

  @Parameters(index = "0", paramLabel = "path")
  String path;

  @Override
  int run(CoordClient client, Output output) {
    String invalid = watch && recursive ? "-w cannot be combined with -R" : wait.invalidForWatch(watch, stale);
    if (invalid != null) {
      return output.usageError(invalid);
    }
    Consistency consistency = stale.consistency();
    if (recursive) {
      walk(client, consistency, output);
      return ExitCodes.OK;
    }
    WatchInbox inbox = new WatchInbox();
    Children children = watch ? client.getChildren(path, inbox) : client.getChildren(path, consistency);
    print(path, children, output);
    if (stat && !output.json()) {
      output.statBlock(children.stat());
    }
    output.flush();
    return watch ? WatchPrinter.awaitOneShot(output, inbox, wait, path) : ExitCodes.OK;
  }

  /** Depth-first, children in sorted order; a node deleted during the walk is skipped (not the start). */
  private void walk(CoordClient client, Consistency consistency, Output output) {
    Deque<String> stack = new ArrayDeque<>();
    stack.push(path);
    while (!stack.isEmpty()) {
      String current = stack.pop();
      Children children;
      try {
        children = client.getChildren(current, consistency);
      } catch (CoordException e) {
        if (e.code() == ErrorCode.NO_NODE && !current.equals(path)) {
          continue;
        }
        throw e;
      }
      if (output.json()) {
        print(current, children, output);
      } else {
        output.line(current);
      }
      List<String> names = new ArrayList<>(children.names());
      names.sort(null);
      for (int i = names.size() - 1; i >= 0; i--) {
        stack.push(child(current, names.get(i)));
      }
    }
  }

  private void print(String node, Children children, Output output) {
    if (!output.json()) {
      output.line(children.names().toString());
      return;
    }
    ObjectNode object = Output.newObject(node);
    ArrayNode names = object.putArray("children");
    children.names().forEach(names::add);
    if (stat) {
      object.set("stat", Output.statJson(children.stat()));
    }
    output.object(object);
  }

  static String child(String parent, String name) {
    return parent.endsWith("/") ? parent + name : parent + "/" + name;
  }

  @Override
  String path() {
    return path;
  }
}
