package coord.client;

import coord.api.Errors;
import coord.api.v1.CoordGrpc;
import coord.api.v1.ErrorCode;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client call with failover: sends the request to the current endpoint and, when that endpoint is
 * unavailable, times out or breaks the connection, moves to the next one (round robin) and sends the same
 * request again after a short backoff, until the call's budget is spent. Business errors (NO_NODE,
 * BAD_VERSION, ...) end the call at once. Writes are safe to resend because their request carries a
 * {@code RequestId} that the caller fixed once for all attempts.
 *
 * <p>Nothing blocks: attempts start on the caller's thread, then on gRPC callback threads or the client's
 * scheduler. The returned future completes on one of those threads; cancelling it cancels the call.
 */
final class RetryingCall<R> {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingCall.class);
  private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
  private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** Starts one attempt of the RPC on {@code stub}, which already carries the attempt's deadline. */
  @FunctionalInterface
  interface Rpc<R> {
    void start(CoordGrpc.CoordStub stub, StreamObserver<R> observer);
  }

  private final String name;
  private final Rpc<R> rpc;
  private final Connections connections;
  private final ScheduledExecutorService scheduler;
  private final long budgetNanos;
  private final long attemptNanos;
  private final long deadlineNanos;
  private final CompletableFuture<R> result = new CompletableFuture<>();

  // Written by one attempt at a time; attempts are ordered by happens-before through gRPC and the scheduler.
  private int attempts;
  private ErrorCode lastCode = ErrorCode.UNAVAILABLE;
  private String lastError = "no attempt made";
  private Throwable lastCause;
  private volatile ClientCallStreamObserver<?> inFlight;

  private RetryingCall(
      String name,
      Rpc<R> rpc,
      Connections connections,
      ScheduledExecutorService scheduler,
      Duration budget,
      Duration attemptTimeout) {
    this.name = name;
    this.rpc = rpc;
    this.connections = connections;
    this.scheduler = scheduler;
    this.budgetNanos = budget.toNanos();
    this.attemptNanos = attemptTimeout.toNanos();
    this.deadlineNanos = System.nanoTime() + budgetNanos;
  }

  static <R> CompletableFuture<R> start(
      String name,
      Rpc<R> rpc,
      Connections connections,
      ScheduledExecutorService scheduler,
      Duration budget,
      Duration attemptTimeout) {
    RetryingCall<R> call = new RetryingCall<>(name, rpc, connections, scheduler, budget, attemptTimeout);
    call.result.whenComplete((r, t) -> {
      ClientCallStreamObserver<?> running = call.inFlight;
      if (call.result.isCancelled() && running != null) {
        running.cancel("cancelled by the caller", null);
      }
    });
    call.attempt();
    return call.result;
  }

  private void attempt() {
    if (result.isDone()) {
      return;
    }
    long remaining = deadlineNanos - System.nanoTime();
    if (remaining <= 0) {
      giveUp();
      return;
    }
    int index = connections.current();
    Endpoint endpoint = connections.endpoint(index);
    attempts++;
    try {
      CoordGrpc.CoordStub stub = CoordGrpc.newStub(connections.channel(endpoint))
          .withDeadlineAfter(Math.min(remaining, attemptNanos), TimeUnit.NANOSECONDS);
      rpc.start(stub, new Attempt(index, endpoint));
    } catch (RuntimeException e) {
      result.completeExceptionally(connections.isClosed()
          ? new CoordException(ErrorCode.UNAVAILABLE, null, "client is closed", e)
          : CoordException.fromThrowable(e));
    }
  }

  private void failed(int index, Endpoint endpoint, Throwable t) {
    ErrorCode code = Errors.fromThrowable(t);
    ErrorCode retryAs = retryableAs(code, t);
    if (retryAs == null || connections.isClosed()) {
      result.completeExceptionally(CoordException.fromThrowable(t));
      return;
    }
    lastCode = retryAs;
    lastCause = t;
    lastError = endpoint + ": " + describe(t);
    // A member that asks to be retried is up and knows the leader; the next one might not be.
    int next = Errors.retryHere(t) ? index : connections.failedOn(index);
    long backoff = backoffNanos();
    // An attempt left with almost no budget would only time out and hide the real error.
    if (deadlineNanos - System.nanoTime() <= backoff + MIN_ATTEMPT_NANOS) {
      giveUp();
      return;
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("{} failed on {} ({}); failing over to {} in {} ms (attempt {})", name, endpoint,
          describe(t), connections.endpoint(next), TimeUnit.NANOSECONDS.toMillis(backoff), attempts);
    }
    try {
      scheduler.schedule(this::attempt, backoff, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      result.completeExceptionally(
          new CoordException(ErrorCode.UNAVAILABLE, null, "client is closed", closed));
    }
  }

  /**
   * The code to report if {@code t} is worth retrying elsewhere, else null: the server or the transport
   * said UNAVAILABLE, the attempt timed out, or the connection broke in a way gRPC reports as
   * UNKNOWN/INTERNAL with a local I/O error as the cause.
   */
  private static ErrorCode retryableAs(ErrorCode code, Throwable t) {
    if (code == ErrorCode.UNAVAILABLE || code == ErrorCode.TIMEOUT) {
      return code;
    }
    Status status = Status.fromThrowable(t);
    // A cause is only ever local: a server's answer carries none.
    boolean transport = (status.getCode() == Status.Code.INTERNAL || status.getCode() == Status.Code.UNKNOWN)
        && hasCause(status.getCause(), IOException.class);
    return transport ? ErrorCode.UNAVAILABLE : null;
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    Throwable c = t;
    for (int depth = 0; c != null && depth < 16; depth++, c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }

  /** Exponential from 10 ms, capped at 500 ms, with jitter so that many clients do not retry in step. */
  private long backoffNanos() {
    long base = MIN_BACKOFF_NANOS << Math.min(attempts - 1, 6);
    long capped = Math.min(base, MAX_BACKOFF_NANOS);
    return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
  }

  private void giveUp() {
    String message = String.format("%s gave up after %d attempt(s) in %d ms; last error from %s",
        name, attempts, TimeUnit.NANOSECONDS.toMillis(budgetNanos), lastError);
    result.completeExceptionally(new CoordException(lastCode, null, message, lastCause));
  }

  private static String describe(Throwable t) {
    return CoordException.fromThrowable(t).getMessage();
  }

  /** Receives the answer of one attempt. */
  private final class Attempt implements ClientResponseObserver<Object, R> {
    private final int index;
    private final Endpoint endpoint;
    private R value;

    Attempt(int index, Endpoint endpoint) {
      this.index = index;
      this.endpoint = endpoint;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<Object> requestStream) {
      inFlight = requestStream;
      if (result.isCancelled()) {
        requestStream.cancel("cancelled by the caller", null);
      }
    }

    @Override
    public void onNext(R response) {
      value = response;
    }

    @Override
    public void onError(Throwable t) {
      failed(index, endpoint, t);
    }

    @Override
    public void onCompleted() {
      if (value == null) {
        result.completeExceptionally(
            new CoordException(ErrorCode.INTERNAL, null, name + ": " + endpoint + " sent no response"));
      } else {
        result.complete(value);
      }
    }
  }
}
