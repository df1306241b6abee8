package coord.it.check;

/**
 * One event a watcher received (a line of {@code watch-events.jsonl}), or a marker that its watch ended.
 *
 * @param watcher watcher id
 * @param batch number of the listener call that delivered it (one call = one zxid), from 0 per watcher
 * @param zxid the event's zxid; for a {@code COMPACTED} marker the oldest zxid the server could resume
 *     after, for an {@code ERROR} marker -1
 * @param type {@code NODE_CREATED}, {@code NODE_DELETED}, {@code NODE_DATA_CHANGED}, or a marker:
 *     {@code COMPACTED} (history gone, the watch ended) or {@code ERROR} (the server ended the watch)
 * @param path the event's path (the watched path for a marker)
 * @param arrivalNanos {@code System.nanoTime()} when the listener got it
 */
public record WatchEventRecord(int watcher, long batch, long zxid, String type, String path, long arrivalNanos) {

  /** True for the end-of-watch markers, which are not events. */
  public boolean isMarker() {
    return "COMPACTED".equals(type) || "ERROR".equals(type);
  }
}
