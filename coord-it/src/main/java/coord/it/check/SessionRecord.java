package coord.it.check;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of {@code sessions.jsonl}. Which fields are set depends on {@code kind}:
 *
 * <ul>
 *   <li>{@code OPEN}: {@code slot, session, timeoutMs} (negotiated), {@code nanos};
 *   <li>{@code CREATE}: an ephemeral create: {@code slot, session, path, status} ({@code OK},
 *       {@code FAIL}, {@code INDETERMINATE}), {@code error}, {@code nanos} (call);
 *   <li>{@code STATE}: {@code slot, session, state} (a {@code SessionState} the client reported), {@code nanos};
 *   <li>{@code DEATH}: {@code slot, session, nanos}: the client was cut off without closing its session;
 *   <li>{@code DELETED}: {@code path, nanos}: the observer's watch delivered the node's deletion;
 *   <li>{@code OBSERVER_ENDED}: {@code nanos}: the observer's watch ended, deletions after it are unseen;
 *   <li>{@code FINAL}: {@code path, session} (its ephemeral owner; 0 if absent) after the run.
 * </ul>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SessionRecord(String kind, Integer slot, Long session, String path, String status, String error,
    String state, Long timeoutMs, long nanos) {

  public static SessionRecord open(int slot, long session, long timeoutMs, long nanos) {
    return new SessionRecord("OPEN", slot, session, null, null, null, null, timeoutMs, nanos);
  }

  public static SessionRecord create(int slot, long session, String path, String status, String error, long nanos) {
    return new SessionRecord("CREATE", slot, session, path, status, error, null, null, nanos);
  }

  public static SessionRecord state(int slot, long session, String state, long nanos) {
    return new SessionRecord("STATE", slot, session, null, null, null, state, null, nanos);
  }

  public static SessionRecord death(int slot, long session, long nanos) {
    return new SessionRecord("DEATH", slot, session, null, null, null, null, null, nanos);
  }

  public static SessionRecord deleted(String path, long nanos) {
    return new SessionRecord("DELETED", null, null, path, null, null, null, null, nanos);
  }

  public static SessionRecord observerEnded(long nanos) {
    return new SessionRecord("OBSERVER_ENDED", null, null, null, null, null, null, null, nanos);
  }

  public static SessionRecord finalOwner(String path, long owner) {
    return new SessionRecord("FINAL", null, owner, path, null, null, null, null, 0);
  }
}
