package coord.it.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One network namespace per member, joined by veth pairs to a bridge that lives in a hub namespace, so the
 * root namespace keeps its routes and rules; the driver reaches the members through one more veth pair from
 * the root namespace into the bridge (reliability brief, section 2.1). Link faults are nft DROP rules in a
 * member's own namespace, so deleting the namespaces removes them with everything else.
 *
 * <p>Names are {@code cit<pid>-...} with the driver's pid: a later run removes the leftovers of runs whose
 * driver is gone, and never touches those of a driver that still runs.
 */
public final class NamespaceNetwork implements ClusterNetwork {
  private static final Logger LOG = LoggerFactory.getLogger(NamespaceNetwork.class);
  private static final String PREFIX = "cit";
  private static final Pattern OURS = Pattern.compile("^" + PREFIX + "(\\d+)(-|h$)");
  private static final String TABLE = "citfault";
  static final int CLIENT_PORT = 2281;
  static final int RAFT_PORT = 2291;
  private static final int HOST_OCTET = 254;

  private final String tag;
  private final String subnet;
  private final List<Integer> ids;
  private final Set<Integer> withRules = new HashSet<>();
  private boolean closed;

  private NamespaceNetwork(String tag, String subnet, List<Integer> ids) {
    this.tag = tag;
    this.subnet = subnet;
    this.ids = List.copyOf(ids);
  }

  /** Why this machine cannot run members in namespaces, or null when it can. */
  public static String unavailableReason() {
    Command.Result uid = Command.tryRun(null, List.of("id", "-u"));
    if (!uid.ok() || !uid.output().strip().equals("0")) {
      return "not root";
    }
    for (String tool : List.of("ip", "nft")) {
      if (!Command.available(tool)) {
        return "'" + tool + "' not installed";
      }
    }
    return null;
  }

  /** Creates the namespaces, bridge and links, after removing stale ones of dead drivers. */
  public static NamespaceNetwork create(List<Integer> ids) {
    removeStale();
    long pid = ProcessHandle.current().pid();
    NamespaceNetwork net = new NamespaceNetwork(PREFIX + pid, freeSubnet(pid), ids);
    try {
      net.build();
      return net;
    } catch (RuntimeException e) {
      net.close();
      throw e;
    }
  }

  private String hub() {
    return tag + "-hub";
  }

  String namespace(int id) {
    return tag + "-n" + id;
  }

  private String hostLink() {
    return tag + "h";
  }

  private String address(int octet) {
    return subnet + "." + octet;
  }

  private void build() {
    Command.run("ip", "netns", "add", hub());
    Command.run("ip", "-n", hub(), "link", "add", "br0", "type", "bridge");
    Command.run("ip", "-n", hub(), "link", "set", "br0", "up");
    for (int id : ids) {
      String ns = namespace(id);
      Command.run("ip", "netns", "add", ns);
      Command.run("ip", "-n", hub(), "link", "add", "p" + id, "type", "veth", "peer", "name", "eth0", "netns", ns);
      Command.run("ip", "-n", hub(), "link", "set", "p" + id, "master", "br0");
      Command.run("ip", "-n", hub(), "link", "set", "p" + id, "up");
      Command.run("ip", "-n", ns, "addr", "add", address(id) + "/24", "dev", "eth0");
      Command.run("ip", "-n", ns, "link", "set", "eth0", "up");
      Command.run("ip", "-n", ns, "link", "set", "lo", "up");
    }
    Command.run("ip", "link", "add", hostLink(), "type", "veth", "peer", "name", "ph", "netns", hub());
    Command.run("ip", "-n", hub(), "link", "set", "ph", "master", "br0");
    Command.run("ip", "-n", hub(), "link", "set", "ph", "up");
    Command.run("ip", "addr", "add", address(HOST_OCTET) + "/24", "dev", hostLink());
    Command.run("ip", "link", "set", hostLink(), "up");
    // Without this leg the root namespace would route the subnet off the machine (brief, section 2.1).
    for (int id : ids) {
      String route = Command.run("ip", "route", "get", address(id));
      if (!route.contains("dev " + hostLink())) {
        throw new IllegalStateException("route to member " + id + " does not use " + hostLink() + ": " + route.strip());
      }
    }
    LOG.info("network namespaces {}-n{} on {}.0/24, driver at {}", tag, ids, subnet, address(HOST_OCTET));
  }

  /** A 10.213.N.0/24 that no root-namespace route uses yet, starting from one derived from the pid. */
  private static String freeSubnet(long pid) {
    String routes = Command.run("ip", "-4", "route", "show");
    for (int i = 0; i < 250; i++) {
      String candidate = "10.213." + ((pid + i) % 250 + 1);
      if (!routes.contains(candidate + ".")) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free 10.213.N.0/24 subnet: every one has a route");
  }

  /** Deletes namespaces and links named after a driver pid that no longer runs. */
  static void removeStale() {
    for (String ns : Command.run("ip", "netns", "list").lines().map(l -> l.split(" ")[0]).toList()) {
      if (staleName(ns)) {
        LOG.warn("removing stale namespace {} of a finished run", ns);
        Command.tryRun(null, List.of("ip", "netns", "del", ns));
      }
    }
    for (String line : Command.run("ip", "-o", "link", "show").lines().toList()) {
      String[] parts = line.split(":\\s+", 3);
      if (parts.length >= 2) {
        String name = parts[1].split("@")[0];
        if (staleName(name)) {
          LOG.warn("removing stale link {} of a finished run", name);
          Command.tryRun(null, List.of("ip", "link", "del", name));
        }
      }
    }
  }

  private static boolean staleName(String name) {
    Matcher m = OURS.matcher(name);
    return m.find() && ProcessHandle.of(Long.parseLong(m.group(1))).map(p -> !p.isAlive()).orElse(true);
  }

  /** Names of this run's namespaces and root-namespace link that still exist (empty after close). */
  public List<String> leftovers() {
    List<String> left = new ArrayList<>();
    Command.run("ip", "netns", "list").lines().map(l -> l.split(" ")[0])
        .filter(n -> n.startsWith(tag + "-")).forEach(left::add);
    if (Command.tryRun(null, List.of("ip", "link", "show", hostLink())).ok()) {
      left.add(hostLink());
    }
    return left;
  }

  @Override
  public String mode() {
    return "netns";
  }

  @Override
  public String host(int id) {
    return address(id);
  }

  @Override
  public int clientPort(int id) {
    return CLIENT_PORT;
  }

  @Override
  public int raftPort(int id) {
    return RAFT_PORT;
  }

  @Override
  public List<String> wrap(int id, List<String> command) {
    // ip netns exec execs the command: the child's pid is the JVM's own (brief, section 2.3)
    List<String> wrapped = new ArrayList<>(List.of("ip", "netns", "exec", namespace(id)));
    wrapped.addAll(command);
    return wrapped;
  }

  @Override
  public boolean supportsLinkFaults() {
    return true;
  }

  @Override
  public synchronized void apply(Map<Integer, LinkRules> rules) {
    healLinks();
    for (Map.Entry<Integer, LinkRules> e : new TreeMap<>(rules).entrySet()) {
      if (!e.getValue().isEmpty()) {
        withRules.add(e.getKey());
        Command.run(nftScript(e.getValue(), this::address), List.of("ip", "netns", "exec", namespace(e.getKey()), "nft", "-f", "-"));
      }
    }
  }

  /** The nft script that installs {@code rules} in one member's namespace; {@code address} maps ids to IPs. */
  static String nftScript(LinkRules rules, IntFunction<String> address) {
    StringBuilder in = new StringBuilder();
    StringBuilder out = new StringBuilder();
    if (!rules.dropFrom().isEmpty()) {
      in.append("    ip saddr ").append(addressSet(rules.dropFrom(), address)).append(" drop\n");
    }
    if (!rules.dropTo().isEmpty()) {
      out.append("    ip daddr ").append(addressSet(rules.dropTo(), address)).append(" drop\n");
    }
    if (!rules.lossPeers().isEmpty() && rules.lossPercent() > 0) {
      String set = addressSet(rules.lossPeers(), address);
      in.append("    ip saddr ").append(set).append(" numgen random mod 100 < ").append(rules.lossPercent()).append(" drop\n");
      out.append("    ip daddr ").append(set).append(" numgen random mod 100 < ").append(rules.lossPercent()).append(" drop\n");
    }
    return "table inet " + TABLE + " {\n"
        + "  chain in {\n    type filter hook input priority 0; policy accept;\n" + in + "  }\n"
        + "  chain out {\n    type filter hook output priority 0; policy accept;\n" + out + "  }\n"
        + "}\n";
  }

  private static String addressSet(Set<Integer> peers, IntFunction<String> address) {
    return peers.stream().sorted().map(address::apply).collect(Collectors.joining(", ", "{ ", " }"));
  }

  @Override
  public synchronized void healLinks() {
    for (int id : List.copyOf(withRules)) {
      Command.run("ip", "netns", "exec", namespace(id), "nft", "delete", "table", "inet", TABLE);
      withRules.remove(id);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    withRules.clear();
    Command.tryRun(null, List.of("ip", "link", "del", hostLink()));
    for (int id : ids) {
      Command.tryRun(null, List.of("ip", "netns", "del", namespace(id)));
    }
    Command.tryRun(null, List.of("ip", "netns", "del", hub()));
    List<String> left = leftovers();
    if (!left.isEmpty()) {
      LOG.error("could not remove {}", left);
    }
  }
}
