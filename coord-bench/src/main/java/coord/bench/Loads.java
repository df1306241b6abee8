package coord.bench;

import java.util.concurrent.ThreadLocalRandom;

/** The {@link LoadOp} of each workload but watch-latency (see {@link BenchRun#watchLatency}). */
final class Loads {
  private Loads() {}

  static LoadOp of(Settings s, byte[] value) {
    return switch (s.workload()) {
      case WRITE -> write(s, value);
      case CREATE_DELETE -> createDelete(s, value);
      case READ -> read(s);
      case MIXED -> mixed(s, value);
      case WATCH_LATENCY -> throw new IllegalArgumentException("watch-latency has its own run");
      case FAILOVER, SESSION_EXPIRY -> throw new IllegalArgumentException(s.workload().cliName + " is a fault drill");
    };
  }

  /** setData of a random key, any version. */
  static LoadOp write(Settings s, byte[] value) {
    return client -> client.write(randomKey(s), value);
  }

  /** create a sequential node (or a unique key) under {@code prefix/seq}, then delete it: one op is the pair. */
  static LoadOp createDelete(Settings s, byte[] value) {
    String base = seqParent(s) + "/n-";
    return client -> client.createSequential(base, value).thenCompose(client::delete);
  }

  /** getData of a random key, linearizable or stale. */
  static LoadOp read(Settings s) {
    boolean linearizable = !s.stale();
    return client -> client.read(randomKey(s), linearizable);
  }

  /** A read with probability {@code readRatio}, else a write. */
  static LoadOp mixed(Settings s, byte[] value) {
    LoadOp read = read(s);
    LoadOp write = write(s, value);
    return client -> ThreadLocalRandom.current().nextDouble() < s.readRatio()
        ? read.issue(client) : write.issue(client);
  }

  static String seqParent(Settings s) {
    return s.prefix() + "/seq";
  }

  private static String randomKey(Settings s) {
    return s.key(ThreadLocalRandom.current().nextInt(s.keys()));
  }
}
