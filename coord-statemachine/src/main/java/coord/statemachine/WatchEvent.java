package coord.statemachine;

/**
 * A change that watchers may be told about; produced by apply, identical on every replica. The history
 * stores types by ordinal: only ever append new ones.
 */
public record WatchEvent(Type type, String path, long zxid) {
  public enum Type {
    NODE_CREATED,
    NODE_DELETED,
    NODE_DATA_CHANGED,
    NODE_CHILDREN_CHANGED
  }
}
