package coord.it.check;

import coord.it.history.Operation;

/**
 * A sequential specification for one partition of a history (for coord, one znode path).
 *
 * <p>States must be immutable and implement {@code equals}/{@code hashCode}: the checker memoises
 * (linearized set, state) pairs. Implementations are pure and may be called from any thread.
 *
 * @param <S> model state
 */
public interface Model<S> {
  /** The state before the first operation. */
  S init();

  /**
   * Linearizes {@code op} in {@code state}.
   *
   * <p>For an OK or FAIL operation: the next state if the recorded outcome is what the model
   * answers in {@code state}, else null. For an INDETERMINATE operation: the state after the
   * operation takes effect (it is never illegal; "never takes effect" is handled by the checker).
   */
  S step(S state, Operation op);

  /** Human-readable state, for explanations. */
  String describe(S state);

  /** What the model would answer to {@code op} in {@code state}, for explanations. */
  String explain(S state, Operation op);
}
