package coord.server;

import coord.api.Errors;
import coord.api.v1.ErrorCode;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.NotReplicatedException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.protocol.exceptions.ReadException;
import org.apache.ratis.protocol.exceptions.ReadIndexException;
import org.apache.ratis.protocol.exceptions.ResourceUnavailableException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.protocol.exceptions.TimeoutIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a failure of the Raft layer into coord's typed error. */
final class RaftErrors {
  private static final Logger LOG = LoggerFactory.getLogger(RaftErrors.class);

  private RaftErrors() {}

  static StatusRuntimeException toStatus(Throwable t) {
    Throwable cause = unwrap(t);
    if (cause instanceof StatusRuntimeException s) {
      return s;
    }
    ErrorCode code = classify(cause);
    if (code == ErrorCode.INTERNAL) {
      LOG.error("unexpected failure in the Raft layer", cause);
    } else {
      LOG.debug("request failed in the Raft layer: {}", cause.toString());
    }
    // Clients move to another member on UNAVAILABLE; after a leader change the member that answered is
    // fine, and the next one may be the frozen former leader, where a client waits its attempt timeout.
    boolean retryHere = cause instanceof RaftNode.LeaderChangedException;
    return Errors.toStatusException(code, String.valueOf(cause.getMessage()), null, retryHere);
  }

  static ErrorCode classify(Throwable cause) {
    if (cause instanceof TimeoutIOException || cause instanceof TimeoutException) {
      return ErrorCode.TIMEOUT;
    }
    if (cause instanceof NotLeaderException
        || cause instanceof LeaderNotReadyException
        || cause instanceof RaftRetryFailureException
        || cause instanceof AlreadyClosedException
        || cause instanceof ServerNotReadyException
        || cause instanceof ResourceUnavailableException
        || cause instanceof NotReplicatedException
        || cause instanceof ReadIndexException
        || cause instanceof ReadException
        || cause instanceof coord.statemachine.StoreClosedException
        || cause instanceof java.io.IOException) {
      return ErrorCode.UNAVAILABLE;
    }
    if (cause instanceof StateMachineException) {
      return ErrorCode.INVALID_ARGUMENT;
    }
    return ErrorCode.INTERNAL;
  }

  static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
