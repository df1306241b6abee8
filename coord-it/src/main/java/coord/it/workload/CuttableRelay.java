package coord.it.workload;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP relay in front of each member's client port, so that a client can "die" the way a
 * crashed client process does: {@link #close()} drops every connection and stops accepting, so the
 * cluster hears nothing more from that client (no CloseSession, no keep-alive) while the client object
 * itself can still be closed cleanly. Each relayed connection uses two threads.
 */
final class CuttableRelay implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(CuttableRelay.class);

  private final List<ServerSocket> listeners = new ArrayList<>();
  private final List<Socket> sockets = new ArrayList<>();
  private final List<String> endpoints = new ArrayList<>();
  private boolean closed;

  /** Starts one relay port per target {@code host:port}, in order. */
  CuttableRelay(List<String> targets, String name) throws IOException {
    try {
      for (String target : targets) {
        int colon = target.lastIndexOf(':');
        InetSocketAddress to = new InetSocketAddress(target.substring(0, colon),
            Integer.parseInt(target.substring(colon + 1)));
        ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        listeners.add(listener);
        endpoints.add("127.0.0.1:" + listener.getLocalPort());
        Thread accept = new Thread(() -> acceptLoop(listener, to), name + "-relay-" + listener.getLocalPort());
        accept.setDaemon(true);
        accept.start();
      }
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The relay's endpoints, one per target, in the targets' order. */
  List<String> endpoints() {
    return List.copyOf(endpoints);
  }

  private void acceptLoop(ServerSocket listener, InetSocketAddress to) {
    while (!listener.isClosed()) {
      Socket in;
      try {
        in = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      Socket out = new Socket();
      try {
        if (!register(in)) {
          return;
        }
        out.connect(to, 2_000);
        if (!register(out)) {
          return;
        }
      } catch (IOException e) {
        // The member is down: the client sees its connection close, as it would without the relay.
        closeQuietly(in);
        closeQuietly(out);
        continue;
      }
      pump(in, out);
      pump(out, in);
    }
  }

  private synchronized boolean register(Socket s) {
    if (closed) {
      closeQuietly(s);
      return false;
    }
    sockets.add(s);
    return true;
  }

  private void pump(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buf)) >= 0) {
          out.write(buf, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        LOG.trace("relay connection ended", e);
      } finally {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "relay-pump");
    t.setDaemon(true);
    t.start();
  }

  /** Cuts every connection and stops accepting. Idempotent. */
  @Override
  public synchronized void close() {
    closed = true;
    listeners.forEach(CuttableRelay::closeQuietly);
    sockets.forEach(CuttableRelay::closeQuietly);
    sockets.clear();
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      LOG.trace("closing a relay socket", e);
    }
  }
}
