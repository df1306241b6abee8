package coord.cli;

import coord.api.v1.WatchEvent;
import coord.client.CoordException;
import coord.client.WatchListener;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link WatchListener} that hands what it hears to the command's thread, which prints it: picocli's
 * writers belong to that thread, and the command decides when it is done.
 */
final class WatchInbox implements WatchListener {
  /** Something the watch heard. */
  sealed interface Item permits Events, Compacted, Removed, Failed {}

  /** The events of one zxid. */
  record Events(List<WatchEvent> events) implements Item {}

  record Compacted(long oldestZxid) implements Item {}

  record Removed() implements Item {}

  record Failed(CoordException error) implements Item {}

  private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();

  @Override
  public void onEvents(List<WatchEvent> eventsOfOneZxid) {
    items.add(new Events(eventsOfOneZxid));
  }

  @Override
  public void onCompacted(long oldestZxid) {
    items.add(new Compacted(oldestZxid));
  }

  @Override
  public void onRemoved() {
    items.add(new Removed());
  }

  @Override
  public void onError(CoordException e) {
    items.add(new Failed(e));
  }

  /** The next item, or null once {@code deadlineNanos} ({@link System#nanoTime()}; null: none) has passed. */
  Item next(Long deadlineNanos) throws InterruptedException {
    if (deadlineNanos == null) {
      return items.take();
    }
    return items.poll(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
  }
}
