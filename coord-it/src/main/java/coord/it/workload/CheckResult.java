package coord.it.workload;

/**
 * One checker's verdict.
 *
 * @param checker e.g. {@code linearizable}, {@code no-lost-writes}, {@code watch-gap-free}
 * @param ok true if the property held
 * @param operations how many operations (or events) the checker looked at
 * @param anomalies how many violations it found (lost writes, watch gaps, ...); 0 when ok
 * @param summary one line for the report; on failure, the first violation in full
 */
public record CheckResult(String checker, boolean ok, long operations, long anomalies, String summary) {}
