package coord.client;

import coord.api.v1.RequestId;
import com.google.protobuf.ByteString;
import java.util.TreeSet;

/**
 * Numbers a client's writes and tells the cluster which earlier numbers it may forget: every call below
 * the oldest one still running has ended and will never be retried, so each {@link RequestId} names the
 * range that became forgettable since the previous one (see {@code RequestId.forget_below}).
 */
final class CallIds {
  private final ByteString clientId;
  private final TreeSet<Long> running = new TreeSet<>();
  private long lastCallId;
  private long forgottenBelow = 1;

  CallIds(ByteString clientId) {
    this.clientId = clientId;
  }

  /** A new call id, counted as running until {@link #ended}. */
  synchronized RequestId next() {
    long callId = ++lastCallId;
    running.add(callId);
    RequestId.Builder id = RequestId.newBuilder().setClientId(clientId).setCallId(callId);
    long endedBelow = running.first();
    if (endedBelow > forgottenBelow) {
      id.setForgetFrom(forgottenBelow).setForgetBelow(endedBelow);
      forgottenBelow = endedBelow;
    }
    return id.build();
  }

  /** The call will not be sent again. */
  synchronized void ended(long callId) {
    running.remove(callId);
  }
}
