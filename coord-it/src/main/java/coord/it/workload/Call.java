package coord.it.workload;

import coord.api.v1.ErrorCode;
import coord.client.CoordException;
import coord.it.history.Outcome;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One timed client call and how its failure is classified. A failure is <em>definite</em> only when
 * the server answered with a business error; {@code TIMEOUT}, {@code UNAVAILABLE} (the client may have
 * sent the request before the connection broke), {@code INTERNAL} and anything that is not a
 * {@link CoordException} leave the outcome indeterminate.
 *
 * @param value the call's result; null on failure
 * @param error the failure; null on success
 * @param callNanos {@code System.nanoTime()} just before the call
 * @param returnNanos {@code System.nanoTime()} just after it returned or threw
 */
public record Call<T>(T value, CoordException error, long callNanos, long returnNanos) {
  private static final Logger LOG = LoggerFactory.getLogger(Call.class);

  /** Runs {@code call} and records its window. Never throws a client failure. */
  public static <T> Call<T> run(Supplier<T> call) {
    long start = System.nanoTime();
    try {
      T value = call.get();
      return new Call<>(value, null, start, System.nanoTime());
    } catch (CoordException e) {
      return new Call<>(null, e, start, System.nanoTime());
    } catch (RuntimeException e) {
      LOG.warn("client call failed with an unexpected exception; recorded as indeterminate", e);
      return new Call<>(null, new CoordException(ErrorCode.INTERNAL, null, e.toString(), e), start, System.nanoTime());
    }
  }

  public boolean ok() {
    return error == null;
  }

  /** True if the call failed with an answer from the server: it was not applied. */
  public boolean definiteFailure() {
    return error != null && isDefinite(error.code());
  }

  /** True if the call failed without a definite answer: it may or may not have taken effect. */
  public boolean indeterminate() {
    return error != null && !isDefinite(error.code());
  }

  /** The failure's error code name, or null. */
  public String errorName() {
    return error == null ? null : error.code().name();
  }

  /** OK with no output, FAIL with the code, or INDETERMINATE. */
  public Outcome outcome() {
    if (ok()) {
      return Outcome.ok();
    }
    return definiteFailure() ? Outcome.fail(errorName()) : Outcome.indeterminate();
  }

  /** Whether an error code is a definite answer from the server. */
  public static boolean isDefinite(ErrorCode code) {
    return switch (code) {
      case TIMEOUT, UNAVAILABLE, INTERNAL, ERROR_CODE_UNSPECIFIED, UNRECOGNIZED -> false;
      default -> true;
    };
  }
}
