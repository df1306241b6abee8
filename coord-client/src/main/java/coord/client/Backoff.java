package coord.client;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter, so that many clients do not retry in step. */
final class Backoff {
  private Backoff() {}

  /** For the {@code attempt}-th retry (from 1): {@code min} doubled per attempt, capped at {@code max}, half of it random. */
  static long nanos(int attempt, long minNanos, long maxNanos) {
    long base = minNanos << Math.min(Math.max(attempt, 1) - 1, 20);
    long capped = Math.max(1, Math.min(base, maxNanos));
    return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
  }
}
