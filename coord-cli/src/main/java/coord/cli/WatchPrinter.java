package coord.cli;

import coord.api.v1.ErrorCode;
import coord.api.v1.EventType;
import coord.api.v1.WatchEvent;
import coord.cli.WatchInbox.Compacted;
import coord.cli.WatchInbox.Events;
import coord.cli.WatchInbox.Failed;
import coord.cli.WatchInbox.Item;

/**
 * Waits for what a watch hears and prints it, flushing stdout after every event: zkCli's
 * {@code WATCHER::} block after a read with {@code -w}, one line per event for {@code watch} and
 * {@code addWatch}, one JSON object per event with {@code -o json}.
 */
final class WatchPrinter {
  private WatchPrinter() {}

  /** ZooKeeper's name of an event type, e.g. {@code NodeDataChanged}. */
  static String typeName(EventType type) {
    return switch (type) {
      case NODE_CREATED -> "NodeCreated";
      case NODE_DELETED -> "NodeDeleted";
      case NODE_DATA_CHANGED -> "NodeDataChanged";
      case NODE_CHILDREN_CHANGED -> "NodeChildrenChanged";
      case EVENT_TYPE_UNSPECIFIED, UNRECOGNIZED -> "None";
    };
  }

  /**
   * After a read with {@code -w}: waits for the one event of the one-shot watch and prints it. Exit 0
   * once printed; 5 if {@code --wait} passes first.
   */
  static int awaitOneShot(Output output, WatchInbox inbox, WaitOption wait, String path) {
    Long deadline = wait.deadline();
    while (true) {
      Item item;
      try {
        item = inbox.next(deadline);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return output.error(ErrorCode.TIMEOUT, path, "interrupted while waiting for a watch event on " + path);
      }
      if (item == null) {
        return output.error(ErrorCode.TIMEOUT, path, "no watch event on " + path + " within " + wait.describe());
      }
      if (item instanceof Events events) {
        for (WatchEvent e : events.events()) {
          if (output.json()) {
            output.object(json(e));
          } else {
            output.line("WATCHER::");
            output.line("WatchedEvent state:SyncConnected type:" + typeName(e.getType()) + " path:" + e.getPath()
                + " zxid:" + Output.hex(e.getZxid()));
          }
        }
        output.flush();
        return ExitCodes.OK;
      }
      Integer end = ended(output, item, path);
      if (end != null) {
        return end;
      }
    }
  }

  /**
   * {@code watch} and {@code addWatch}: prints every event as it comes until {@code count} events
   * (null: no limit) or until {@code --wait} passes. Exit 0 then, or 5 if {@code --wait} passed before
   * {@code count} events; 7 if the history was compacted; the error's code if the server ended the watch.
   */
  static int stream(Output output, WatchInbox inbox, WaitOption wait, Integer count, String path) {
    Long deadline = wait.deadline();
    int printed = 0;
    while (count == null || printed < count) {
      Item item;
      try {
        item = inbox.next(deadline);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ExitCodes.OK;
      }
      if (item == null) {
        return count == null ? ExitCodes.OK : output.error(ErrorCode.TIMEOUT, path,
            "only " + printed + " of " + count + " events on " + path + " within " + wait.describe());
      }
      if (item instanceof Events events) {
        for (WatchEvent e : events.events()) {
          if (count != null && printed == count) {
            break;
          }
          if (output.json()) {
            output.object(json(e));
          } else {
            output.line(typeName(e.getType()) + " " + e.getPath() + " zxid=" + Output.hex(e.getZxid()));
          }
          printed++;
        }
        output.flush();
        continue;
      }
      Integer end = ended(output, item, path);
      if (end != null) {
        return end;
      }
    }
    return ExitCodes.OK;
  }

  /** The exit code for a watch that ended without (more) events, or null to keep waiting. */
  private static Integer ended(Output output, Item item, String path) {
    if (item instanceof Compacted c) {
      return output.compacted(path, c.oldestZxid());
    }
    if (item instanceof Failed f) {
      return output.error(f.error(), path);
    }
    return ExitCodes.OK; // removed
  }

  static com.fasterxml.jackson.databind.node.ObjectNode json(WatchEvent e) {
    return Output.newObject()
        .put("type", typeName(e.getType()))
        .put("path", e.getPath())
        .put("zxid", e.getZxid());
  }
}
