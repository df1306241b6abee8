package coord.it.cluster;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LinkProxy} and {@link LinkFaults} with plain sockets: echo servers stand for members 1 and 2, a test
 * socket through the proxy of link i→j stands for a connection member i opened to member j.
 */
class LinkProxyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** How long a socket must stay silent, with no data, end or reset, to count as black-holed. */
  private static final int SILENCE_MS = 300;

  private final LinkFaults faults = new LinkFaults();
  private final List<Closeable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws IOException {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  @Test
  void forwardsBothWays() throws IOException {
    Echo two = echo();
    proxy(1, 2, two);
    Socket s = connect(1, 2, two);
    assertThat(roundTrip(s, "hello")).isEqualTo("hello");
    assertThat(roundTrip(s, "again")).isEqualTo("again");
  }

  @Test
  void cutBlackHolesBothDirectionsOfBothKindsOfConnectionWithoutReset() throws IOException {
    Echo one = echo();
    Echo two = echo();
    proxy(1, 2, two);
    proxy(2, 1, one);
    Socket oneToTwo = connect(1, 2, two);
    Socket twoToOne = connect(2, 1, one);
    roundTrip(oneToTwo, "up");
    roundTrip(twoToOne, "up");

    apply(Map.of(1, LinkRules.cut(Set.of(2))));
    write(oneToTwo, "lost");
    write(twoToOne, "lost");
    await().atMost(WAIT).until(() -> faults.droppedChunks() == 2);
    assertThat(two.received()).isEqualTo(2);
    assertThat(one.received()).isEqualTo(2);
    assertSilent(oneToTwo);
    assertSilent(twoToOne);

    // a connection opened while cut is accepted, and black-holed too
    Socket late = connect(1, 2, two);
    write(late, "late");
    await().atMost(WAIT).until(() -> faults.droppedChunks() == 3);
    assertThat(two.received()).isEqualTo(2);
    assertSilent(late);
  }

  @Test
  void deafDropsOnlyWhatTheMemberWouldReceive() throws IOException {
    Echo one = echo();
    Echo two = echo();
    proxy(1, 2, two);
    proxy(2, 1, one);
    Socket oneToTwo = connect(1, 2, two);
    Socket twoToOne = connect(2, 1, one);

    apply(Map.of(1, LinkRules.deaf(Set.of(2))));
    // 1 -> 2 passes: member 2 gets the request, its echo back to 1 is dropped
    write(oneToTwo, "ask");
    await().atMost(WAIT).until(() -> two.received() == 3 && faults.droppedChunks() == 1);
    assertSilent(oneToTwo);
    // 2 -> 1 is dropped at once: member 1 gets nothing
    write(twoToOne, "ask");
    await().atMost(WAIT).until(() -> faults.droppedChunks() == 2);
    assertThat(one.received()).isZero();
    assertSilent(twoToOne);
  }

  @Test
  void healResetsConnectionsThatLostBytesOnly() throws IOException {
    Echo two = echo();
    proxy(1, 2, two);
    Socket used = connect(1, 2, two);
    Socket idle = connect(1, 2, two);
    roundTrip(idle, "idle");

    apply(Map.of(2, LinkRules.cut(Set.of(1))));
    write(used, "lost");
    await().atMost(WAIT).until(() -> faults.droppedChunks() == 1);
    apply(Map.of());

    assertEnds(used);
    assertThat(roundTrip(idle, "still fine")).isEqualTo("still fine");
    assertThat(roundTrip(connect(1, 2, two), "new")).isEqualTo("new");
  }

  @Test
  void lossDelaysButKeepsEveryByteInOrder() throws IOException {
    Echo two = echo();
    proxy(1, 2, two);
    Socket s = connect(1, 2, two);
    apply(Map.of(1, LinkRules.lossy(Set.of(2), 100)));
    for (int i = 0; i < 3; i++) {
      assertThat(roundTrip(s, "chunk " + i)).isEqualTo("chunk " + i);
    }
    apply(Map.of());
    assertThat(faults.droppedChunks()).isZero();
    assertThat(roundTrip(s, "after heal")).isEqualTo("after heal");
  }

  @Test
  void closeStopsEveryThreadAndSocket() throws IOException {
    Echo two = echo();
    LinkProxy proxy = proxy(1, 2, two);
    Socket s = connect(1, 2, two);
    roundTrip(s, "hello");
    apply(Map.of(1, LinkRules.cut(Set.of(2))));
    write(s, "held");
    await().atMost(WAIT).until(() -> faults.droppedChunks() == 1);
    assertThat(proxy.connections()).isEqualTo(1);

    proxy.close();
    proxy.close();
    assertThat(proxy.leftovers()).isEmpty();
    assertThat(proxy.connections()).isZero();
    assertEnds(s);
    assertThatThrownBy(() -> connect(1, 2, two)).isInstanceOf(ConnectException.class);
  }

  @Test
  void proxyNetworkNamesPeersThroughPerMemberHostsFiles() throws IOException {
    Path dir = Files.createTempDirectory("proxy-net");
    ProxyNetwork net = ProxyNetwork.create(List.of(1, 2, 3), dir);
    open.add(net::close);
    assertThat(net.host(2)).isEqualTo("coord-n2");
    assertThat(net.clientHost(2)).isEqualTo("127.0.0.1");
    assertThat(net.jvmArgs(1)).containsExactly("-Djdk.net.hosts.file=" + dir.resolve("n1.hosts"));
    assertThat(Files.readAllLines(dir.resolve("n1.hosts")))
        .contains("127.0.0.1 localhost", "127.0.0.1 coord-n1", "127.77.1.2 coord-n2", "127.77.1.3 coord-n3");
    // the proxy of link 3 -> 2 listens on 2's raft and client ports and reaches member 2 on 127.0.0.1
    try (ServerSocket member2 = new ServerSocket(net.raftPort(2), 50, InetAddress.getByName("127.0.0.1"))) {
      Socket s = new Socket();
      open.add(s);
      s.connect(new InetSocketAddress(ProxyNetwork.linkAddress(3, 2), net.raftPort(2)), 2_000);
      try (Socket accepted = member2.accept()) {
        s.getOutputStream().write(1);
        assertThat(accepted.getInputStream().read()).isEqualTo(1);
      }
    }
    net.close();
    assertThat(net.leftovers()).isEmpty();
  }

  // ---- helpers ----

  private void apply(Map<Integer, LinkRules> rules) {
    faults.replace(rules).forEach(LinkFaults.Connection::reset);
  }

  private LinkProxy proxy(int from, int to, Echo target) throws IOException {
    LinkProxy p = LinkProxy.start(from, to, InetAddress.getByName(ProxyNetwork.linkAddress(from, to)),
        List.of(target.port()), InetAddress.getByName("127.0.0.1"), faults);
    open.add(p);
    return p;
  }

  private Socket connect(int from, int to, Echo target) throws IOException {
    Socket s = new Socket();
    open.add(s);
    s.connect(new InetSocketAddress(ProxyNetwork.linkAddress(from, to), target.port()), 2_000);
    s.setSoTimeout((int) WAIT.toMillis());
    return s;
  }

  private static void write(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(UTF_8));
  }

  private static String roundTrip(Socket s, String text) throws IOException {
    write(s, text);
    return new String(s.getInputStream().readNBytes(text.length()), UTF_8);
  }

  /** Nothing arrives for a while: no data, no end of stream, no reset. */
  private static void assertSilent(Socket s) throws IOException {
    s.setSoTimeout(SILENCE_MS);
    try {
      assertThatThrownBy(() -> s.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
    } finally {
      s.setSoTimeout((int) WAIT.toMillis());
    }
  }

  /** The connection ends (end of stream or reset) within the wait. */
  private static void assertEnds(Socket s) {
    int read;
    try {
      InputStream in = s.getInputStream();
      read = in.read();
    } catch (SocketTimeoutException e) {
      throw new AssertionError("connection still open after " + WAIT.toSeconds() + " s", e);
    } catch (IOException e) {
      return; // reset
    }
    assertThat(read).as("end of stream").isEqualTo(-1);
  }

  private Echo echo() throws IOException {
    Echo e = new Echo();
    open.add(e);
    return e;
  }

  /** A member stand-in on 127.0.0.1: echoes every byte and counts what it received. */
  private static final class Echo implements Closeable {
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    private final AtomicLong received = new AtomicLong();
    private final Set<Socket> accepted = ConcurrentHashMap.newKeySet();

    Echo() throws IOException {
      daemon(() -> {
        while (true) {
          Socket s;
          try {
            s = server.accept();
          } catch (IOException e) {
            return;
          }
          accepted.add(s);
          daemon(() -> echo(s));
        }
      });
    }

    private void echo(Socket s) {
      byte[] buf = new byte[4096];
      try (s) {
        int n;
        while ((n = s.getInputStream().read(buf)) >= 0) {
          received.addAndGet(n);
          s.getOutputStream().write(buf, 0, n);
        }
      } catch (IOException e) {
        // closed
      }
    }

    private static void daemon(Runnable r) {
      Thread t = new Thread(r, "echo");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    long received() {
      return received.get();
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
