package coord.client;

import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The client's channels: one plaintext {@link ManagedChannel} per endpoint, created on first use, and the
 * index of the "current" endpoint that calls go to first. Thread-safe; no method blocks except
 * {@link #close()}.
 */
final class Connections implements AutoCloseable {
  private static final int MAX_INBOUND_MESSAGE_BYTES = 64 << 20;

  private final List<Endpoint> endpoints;
  private final Executor callbacks;
  private final Map<Endpoint, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final AtomicInteger current = new AtomicInteger();
  private volatile boolean closed;

  /** {@code callbacks} runs gRPC's callbacks: the answers of every call on these channels. */
  Connections(List<Endpoint> endpoints, Executor callbacks) {
    this.endpoints = List.copyOf(endpoints);
    this.callbacks = callbacks;
  }

  List<Endpoint> endpoints() {
    return endpoints;
  }

  int size() {
    return endpoints.size();
  }

  /** The index of the endpoint calls go to first. */
  int current() {
    return current.get();
  }

  Endpoint endpoint(int index) {
    return endpoints.get(index);
  }

  /**
   * Moves "current" to the endpoint after {@code failed}, unless another call already moved it, so that
   * concurrent failures on one endpoint skip it once, not once each. Returns the new current index.
   */
  int failedOn(int failed) {
    int next = (failed + 1) % endpoints.size();
    current.compareAndSet(failed, next);
    return current.get();
  }

  /**
   * The channel to {@code endpoint}, created on first use. A channel that gave up connecting (it waits up
   * to minutes between attempts by itself) is told to reconnect now: the caller paces its own retries.
   */
  ManagedChannel channel(Endpoint endpoint) {
    if (closed) {
      throw new IllegalStateException("client is closed");
    }
    ManagedChannel channel = channels.computeIfAbsent(endpoint, this::open);
    if (closed) {
      channel.shutdownNow(); // lost a race with close()
      throw new IllegalStateException("client is closed");
    }
    if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      channel.resetConnectBackoff();
    }
    return channel;
  }

  boolean isClosed() {
    return closed;
  }

  private ManagedChannel open(Endpoint e) {
    return Grpc.newChannelBuilderForAddress(e.host(), e.port(), InsecureChannelCredentials.create())
        .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
        .executor(callbacks)
        .build();
  }

  /** Shuts every channel down, waiting up to a second for calls in flight, then cancels what is left. */
  @Override
  public void close() {
    closed = true;
    channels.values().forEach(ManagedChannel::shutdown);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    boolean interrupted = false;
    for (ManagedChannel channel : channels.values()) {
      try {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !channel.awaitTermination(left, TimeUnit.NANOSECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        interrupted = true;
        channel.shutdownNow();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
