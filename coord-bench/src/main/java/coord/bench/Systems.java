package coord.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The systems on the class path: coord always, ZooKeeper and etcd when coord-bench-peers is there too. */
final class Systems {
  static final String DEFAULT = CoordSystem.NAME;

  private Systems() {}

  static Optional<BenchSystem> byName(String name) {
    return all().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  static List<BenchSystem> all() {
    List<BenchSystem> systems = new ArrayList<>();
    systems.add(new CoordSystem());
    ServiceLoader.load(BenchSystem.class, Systems.class.getClassLoader()).forEach(systems::add);
    return systems;
  }

  static String names() {
    return String.join(", ", all().stream().map(BenchSystem::name).toList());
  }
}
