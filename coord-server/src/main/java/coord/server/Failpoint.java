package coord.server;

import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deliberate bugs, for the fault suite's proof that its checkers see what they claim to (coord-it's
 * broken-build runs). Off unless the JVM is started with {@code -Dcoord.failpoint=NAME}.
 */
enum Failpoint {
  /** Linearizable reads are answered from the local replica, without a read index. */
  STALE_READS("stale-reads"),
  /** Every {@link #DROPPED_WATCH_EVENT_PERIOD}th live watch notification is silently dropped. */
  DROP_WATCH_EVENT("drop-watch-event");

  static final String PROPERTY = "coord.failpoint";
  static final int DROPPED_WATCH_EVENT_PERIOD = 50;
  private static final Logger LOG = LoggerFactory.getLogger(Failpoint.class);
  private static final Failpoint ACTIVE = fromProperty(System.getProperty(PROPERTY));

  private final String label;

  Failpoint(String label) {
    this.label = label;
  }

  /** Reads the property now, so that a misspelt failpoint stops the node at start. */
  static void load() {
    // the class initialiser did the work
  }

  boolean active() {
    return ACTIVE == this;
  }

  private static Failpoint fromProperty(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    Failpoint found = Arrays.stream(values()).filter(f -> f.label.equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown -D" + PROPERTY + "=" + value
            + "; known: " + Arrays.stream(values()).map(f -> f.label).toList()));
    LOG.warn("FAILPOINT {} IS ACTIVE: this node is deliberately broken (testing only)", found.label);
    return found;
  }
}
