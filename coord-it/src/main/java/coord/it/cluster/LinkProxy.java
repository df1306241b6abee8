package coord.it.cluster;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP proxy of one directed link of a {@link ProxyNetwork}: member {@code from} connects to
 * {@code listen:port} for each of member {@code to}'s ports, and the proxy relays each connection to
 * {@code target:port}. Bytes from {@code from} to {@code to} (and back) go through {@link LinkFaults#decide}
 * chunk by chunk: a dropped chunk is read and discarded, so the sender sees silence, not a reset; a lossy
 * one is held back first.
 *
 * <p>Threads, all daemon platform threads named {@code proxy-<from>to<to>-...}: one acceptor per port, and two
 * pumps per relayed connection (one per direction) that block in socket reads and writes. {@link #close()}
 * closes every socket and waits, bounded, for every thread to end.
 */
final class LinkProxy implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(LinkProxy.class);
  private static final int CONNECT_TIMEOUT_MS = 2_000;
  private static final int BUFFER_BYTES = 16 * 1024;
  private static final long JOIN_MS = 2_000;

  private final int from;
  private final int to;
  private final InetAddress target;
  private final LinkFaults faults;
  private final String name;
  private final List<ServerSocket> listeners = new ArrayList<>();
  /** Every acceptor and pump thread that has not ended yet; each removes itself when it ends. */
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final Set<Relay> relays = new HashSet<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private boolean closed;

  private LinkProxy(int from, int to, InetAddress target, LinkFaults faults) {
    this.from = from;
    this.to = to;
    this.target = target;
    this.faults = faults;
    this.name = "proxy-" + from + "to" + to;
  }

  /** Listens on {@code listen} at each of {@code ports} and relays to the same port on {@code target}. */
  static LinkProxy start(int from, int to, InetAddress listen, List<Integer> ports, InetAddress target,
      LinkFaults faults) throws IOException {
    LinkProxy proxy = new LinkProxy(from, to, target, faults);
    try {
      for (int port : ports) {
        ServerSocket listener = new ServerSocket();
        proxy.listeners.add(listener);
        listener.bind(new InetSocketAddress(listen, port), 50);
        proxy.startThread(proxy.name + "-accept-" + port, () -> proxy.acceptLoop(listener));
      }
      return proxy;
    } catch (IOException | RuntimeException e) {
      proxy.close();
      throw e;
    }
  }

  private void startThread(String threadName, Runnable body) {
    Thread t = new Thread(() -> {
      try {
        body.run();
      } finally {
        threads.remove(Thread.currentThread());
      }
    }, threadName);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void acceptLoop(ServerSocket listener) {
    InetSocketAddress upstream = new InetSocketAddress(target, listener.getLocalPort());
    while (true) {
      Socket down;
      try {
        down = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket up = new Socket();
      try {
        down.setTcpNoDelay(true);
        up.setTcpNoDelay(true);
        up.connect(upstream, CONNECT_TIMEOUT_MS);
      } catch (IOException e) {
        // the member is down: its peer sees a reset, as it would without the proxy
        reset(down);
        closeQuietly(up);
        continue;
      }
      Relay relay = new Relay(down, up, accepted.incrementAndGet());
      if (!register(relay)) {
        relay.close();
        return;
      }
      relay.start();
    }
  }

  private synchronized boolean register(Relay relay) {
    if (closed) {
      return false;
    }
    relays.add(relay);
    return true;
  }

  private synchronized void unregister(Relay relay) {
    relays.remove(relay);
  }

  /** Connections relayed now. */
  synchronized int connections() {
    return relays.size();
  }

  /** What of this proxy is still alive: listeners open, threads running (empty after {@link #close()}). */
  synchronized List<String> leftovers() {
    List<String> left = new ArrayList<>();
    listeners.stream().filter(l -> !l.isClosed()).forEach(l -> left.add(name + " listener " + l.getLocalSocketAddress()));
    threads.stream().filter(Thread::isAlive).forEach(t -> left.add("thread " + t.getName()));
    return left;
  }

  /** Stops accepting, closes every relayed connection, and waits (at most a few seconds) for the threads. Idempotent. */
  @Override
  public void close() {
    List<Relay> open;
    synchronized (this) {
      closed = true;
      listeners.forEach(LinkProxy::closeQuietly);
      open = List.copyOf(relays);
    }
    open.forEach(Relay::close);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_MS);
    for (Thread t : List.copyOf(threads)) {
      t.interrupt();
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (t.isAlive()) {
        LOG.warn("{} still running after close", t.getName());
      }
    }
  }

  /** One relayed connection: {@code down} accepted from member {@code from}, {@code up} to member {@code to}. */
  private final class Relay implements LinkFaults.Connection {
    private final Socket down;
    private final Socket up;
    private final int n;

    Relay(Socket down, Socket up, int n) {
      this.down = down;
      this.up = up;
      this.n = n;
    }

    void start() {
      startThread(name + "-c" + n + "-out", () -> pump(down, up, from, to));
      startThread(name + "-c" + n + "-back", () -> pump(up, down, to, from));
    }

    /** Relays {@code in} to {@code out}, chunk by chunk as {@link LinkFaults} decides, until either side closes. */
    private void pump(Socket in, Socket out, int src, int dst) {
      byte[] buf = new byte[BUFFER_BYTES];
      try {
        InputStream input = in.getInputStream();
        OutputStream output = out.getOutputStream();
        int read;
        while ((read = input.read(buf)) >= 0) {
          long hold = faults.decide(src, dst, this);
          if (hold == LinkFaults.DROP) {
            continue;
          }
          if (hold > 0) {
            Thread.sleep(hold);
          }
          output.write(buf, 0, read);
        }
      } catch (IOException e) {
        LOG.trace("{} ended", Thread.currentThread().getName(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        close();
      }
    }

    @Override
    public void reset() {
      LinkProxy.reset(down);
      LinkProxy.reset(up);
      forget();
    }

    /** Closes both sides (a FIN each way). */
    void close() {
      closeQuietly(down);
      closeQuietly(up);
      forget();
    }

    private void forget() {
      faults.forget(this);
      unregister(this);
    }
  }

  /** Closes with SO_LINGER 0: the peer gets a TCP reset instead of a FIN. */
  private static void reset(Socket s) {
    try {
      if (!s.isClosed()) {
        s.setSoLinger(true, 0);
      }
    } catch (IOException e) {
      LOG.trace("SO_LINGER on a proxy socket", e);
    }
    closeQuietly(s);
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      LOG.trace("closing a proxy socket", e);
    }
  }
}
