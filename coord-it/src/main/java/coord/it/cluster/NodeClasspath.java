package coord.it.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The class path the member JVMs run with. */
public final class NodeClasspath {
  /** A file holding the class path, as written by the build ({@code coord-it/target/node.classpath}). */
  public static final String FILE_PROPERTY = "coord.it.classpathFile";

  private NodeClasspath() {}

  /**
   * The file named by {@value #FILE_PROPERTY} when set (failsafe's own class path is a manifest-only jar),
   * else this JVM's class path, which holds coord-server when coord-it runs from its build.
   */
  public static String resolve() {
    String file = System.getProperty(FILE_PROPERTY);
    if (file != null && !file.isBlank()) {
      try {
        return Files.readString(Path.of(file)).strip();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the node class path from " + file, e);
      }
    }
    return System.getProperty("java.class.path");
  }
}
