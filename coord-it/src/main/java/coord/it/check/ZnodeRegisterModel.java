package coord.it.check;

import coord.it.history.OpType;
import coord.it.history.Operation;
import coord.it.history.Outcome;
import java.util.Objects;
import java.util.Set;

/**
 * ZooKeeper semantics for a single znode path, as a register {exists, data, version}.
 *
 * <ul>
 *   <li>CREATE: NODE_EXISTS if it exists; else exists with data and version 0.
 *   <li>SET(v, expected): NO_NODE if absent; BAD_VERSION unless expected is -1 or the version;
 *       else data v and version + 1.
 *   <li>DELETE(expected): NO_NODE if absent; BAD_VERSION as for SET; else absent.
 *   <li>GET: NO_NODE (or OK with exists=false) if absent; else data and version.
 * </ul>
 *
 * <p>Only the error codes in {@link #MODELLED_ERRORS} depend on this path alone. Other definite
 * failures (a CREATE with NO_NODE for a missing parent, NOT_EMPTY, SESSION_EXPIRED, ...) had no
 * effect and say nothing about this path; {@link #isRelevant} filters them out, and so it does
 * indeterminate reads.
 */
public final class ZnodeRegisterModel implements Model<RegisterState> {
  /** Error codes whose cause is the state of this one znode. */
  public static final Set<String> MODELLED_ERRORS = Set.of("NO_NODE", "NODE_EXISTS", "BAD_VERSION");

  /** The model's own answer and next state. */
  record Result(RegisterState next, String error) {}

  @Override
  public RegisterState init() {
    return RegisterState.ABSENT;
  }

  /** Whether the checker needs this operation at all. */
  public static boolean isRelevant(Operation op) {
    Outcome o = op.outcome();
    if (o.isIndeterminate()) {
      return op.op().isWrite();
    }
    if (o.isFail()) {
      if (op.op() == OpType.CREATE && o.error().equals("NO_NODE")) {
        return false; // the parent is missing: another path's business
      }
      return MODELLED_ERRORS.contains(o.error());
    }
    return true;
  }

  /** Applies {@code op}'s input to {@code s}, ignoring the recorded outcome. */
  static Result apply(RegisterState s, Operation op) {
    int expected = op.input().expectedVersion();
    return switch (op.op()) {
      case CREATE -> s.exists()
          ? new Result(s, "NODE_EXISTS")
          : new Result(RegisterState.present(op.input().value(), 0), null);
      case SET -> {
        if (!s.exists()) {
          yield new Result(s, "NO_NODE");
        }
        if (expected != -1 && expected != s.version()) {
          yield new Result(s, "BAD_VERSION");
        }
        yield new Result(RegisterState.present(op.input().value(), s.version() + 1), null);
      }
      case DELETE -> {
        if (!s.exists()) {
          yield new Result(s, "NO_NODE");
        }
        if (expected != -1 && expected != s.version()) {
          yield new Result(s, "BAD_VERSION");
        }
        yield new Result(RegisterState.ABSENT, null);
      }
      case GET -> s.exists() ? new Result(s, null) : new Result(s, "NO_NODE");
    };
  }

  @Override
  public RegisterState step(RegisterState state, Operation op) {
    Result r = apply(state, op);
    Outcome o = op.outcome();
    switch (o.status()) {
      case INDETERMINATE:
        return r.next();
      case FAIL:
        return o.error().equals(r.error()) ? state : null;
      case OK:
      default:
        break;
    }
    if (op.op() == OpType.GET) {
      boolean recordedAbsent = Boolean.FALSE.equals(o.exists());
      if (!state.exists()) {
        return recordedAbsent ? state : null;
      }
      if (recordedAbsent
          || !Objects.equals(o.value(), state.data())
          || (o.version() != null && o.version() != state.version())) {
        return null;
      }
      return state;
    }
    if (r.error() != null) {
      return null;
    }
    if (o.version() != null && o.version() != r.next().version()) {
      return null;
    }
    return r.next();
  }

  @Override
  public String describe(RegisterState state) {
    return state.toString();
  }

  @Override
  public String explain(RegisterState state, Operation op) {
    Result r = apply(state, op);
    if (r.error() != null) {
      return "model says FAIL(" + r.error() + ")";
    }
    if (op.op() == OpType.GET) {
      return "model says OK(" + state.data() + "@" + state.version() + ")";
    }
    return op.op() == OpType.DELETE ? "model says OK" : "model says OK(v" + r.next().version() + ")";
  }
}
