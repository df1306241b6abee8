package coord.it.check;

/**
 * One znode as a register: whether it exists, its data and its data version.
 *
 * @param exists whether the znode exists
 * @param data the data, null when absent
 * @param version the data version, {@code -1} when absent
 */
public record RegisterState(boolean exists, String data, int version) {
  /** The only absent state (so that absent states compare equal). */
  public static final RegisterState ABSENT = new RegisterState(false, null, -1);

  public static RegisterState present(String data, int version) {
    return new RegisterState(true, data, version);
  }

  @Override
  public String toString() {
    return exists ? "'" + data + "'@" + version : "absent";
  }
}
