package coord.statemachine;

/** The replica's store is closed (the node is stopping, or swapping in a snapshot): try another node. */
public final class StoreClosedException extends RuntimeException {
  public StoreClosedException() {
    super("this node's store is closed (stopping or installing a snapshot)");
  }
}
