package org.crtrmotion.simulations.qemu;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A proxy that forwards each accepted connection to one TCP upstream on 127.0.0.1 at a capped rate,
 * like a link of that bandwidth. It listens on 127.0.0.1 ({@link #start}) or on a UNIX-domain
 * socket ({@link #startUnix}).
 *
 * <p>Each direction has its own {@link TokenBucket} at the cap (a full-duplex link), holding at
 * most 1 ms of traffic, so every byte of the stream, including QEMU's final stop-and-copy pass that
 * its own {@code max-bandwidth} leaves uncapped, crosses at the link's rate. The proxy's own socket
 * buffers are kept small. What it cannot shrink is the sender's buffer: a TCP sender's grows to
 * {@code net.ipv4.tcp_wmem}'s maximum (4 MiB here), which the sender counts as sent long before it
 * crosses the link; a UNIX-domain sender's stays at {@code net.core.wmem_default} (about 200 KiB).
 * Bytes are counted per direction.
 */
public final class RateLimitedProxy implements AutoCloseable {
  private static final int CHUNK_BYTES = 16 * 1024;
  private static final int SOCKET_BUFFER_BYTES = 64 * 1024;

  private final InetSocketAddress upstream;
  private final long bytesPerSecond;
  private final Ticker ticker;
  private final ServerSocketChannel server;
  private final String uri;
  private final Path unixPath; // null for a TCP listener
  private final Thread acceptor;
  private final List<SocketChannel> channels = new CopyOnWriteArrayList<>();
  private final List<Thread> pumps = new CopyOnWriteArrayList<>();
  private final AtomicLong bytesToUpstream = new AtomicLong();
  private final AtomicLong bytesFromUpstream = new AtomicLong();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean closed;

  private RateLimitedProxy(
      InetSocketAddress upstream, long bytesPerSecond, Ticker ticker, Path unixPath)
      throws IOException {
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("bytesPerSecond must be positive, got " + bytesPerSecond);
    }
    this.upstream = upstream;
    this.bytesPerSecond = bytesPerSecond;
    this.ticker = ticker;
    this.unixPath = unixPath;
    if (unixPath == null) {
      server = ServerSocketChannel.open(StandardProtocolFamily.INET);
      // Set before bind: the receive window is negotiated when a connection is accepted.
      server.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      uri = "tcp:127.0.0.1:" + ((InetSocketAddress) server.getLocalAddress()).getPort();
    } else {
      Files.deleteIfExists(unixPath);
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(unixPath));
      uri = "unix:" + unixPath;
    }
    this.acceptor = new Thread(this::acceptLoop, "proxy-accept " + uri);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Starts a proxy on 127.0.0.1 (an ephemeral port, see {@link #port()}) that forwards to {@code
   * upstream} at {@code bytesPerSecond} in each direction.
   */
  public static RateLimitedProxy start(InetSocketAddress upstream, long bytesPerSecond)
      throws IOException {
    return start(upstream, bytesPerSecond, Ticker.SYSTEM);
  }

  /** As {@link #start(InetSocketAddress, long)}, pacing by {@code ticker}'s clock. */
  public static RateLimitedProxy start(
      InetSocketAddress upstream, long bytesPerSecond, Ticker ticker) throws IOException {
    return new RateLimitedProxy(upstream, bytesPerSecond, ticker, null);
  }

  /**
   * Starts a proxy listening on the UNIX-domain socket {@code path} (replacing a stale one) that
   * forwards to {@code upstream} at {@code bytesPerSecond} in each direction.
   */
  public static RateLimitedProxy startUnix(
      Path path, InetSocketAddress upstream, long bytesPerSecond, Ticker ticker)
      throws IOException {
    return new RateLimitedProxy(upstream, bytesPerSecond, ticker, path);
  }

  /**
   * Where a client connects, as QEMU's {@code migrate} takes it: {@code tcp:…} or {@code unix:…}.
   */
  public String uri() {
    return uri;
  }

  /** The address a client connects to. */
  public SocketAddress address() {
    return unixPath == null
        ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port())
        : UnixDomainSocketAddress.of(unixPath);
  }

  /** The TCP port the proxy listens on, on 127.0.0.1; -1 for a UNIX-domain listener. */
  public int port() {
    if (unixPath != null) {
      return -1;
    }
    try {
      return ((InetSocketAddress) server.getLocalAddress()).getPort();
    } catch (IOException e) {
      return -1; // closed
    }
  }

  /** The cap in each direction. */
  public long bytesPerSecond() {
    return bytesPerSecond;
  }

  /** Bytes forwarded from clients to the upstream so far. */
  public long bytesToUpstream() {
    return bytesToUpstream.get();
  }

  /** Bytes forwarded from the upstream back to clients so far. */
  public long bytesFromUpstream() {
    return bytesFromUpstream.get();
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /**
   * The most a bucket holds: 1 ms of traffic, at least one 16 KiB chunk. Kept short because a
   * sender that pauses (QEMU between its own rate-limit windows) refills the bucket, and a burst as
   * large as a final stop-and-copy pass would let that pass through uncapped.
   */
  static long burstBytes(long bytesPerSecond) {
    return Math.max(CHUNK_BYTES, bytesPerSecond / 1000);
  }

  private void acceptLoop() {
    while (!closed) {
      SocketChannel client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      channels.add(client);
      connections.incrementAndGet();
      try {
        SocketChannel up = SocketChannel.open(StandardProtocolFamily.INET);
        channels.add(up);
        up.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
        up.connect(upstream);
        pump(client, up, bytesToUpstream, "up");
        pump(up, client, bytesFromUpstream, "down");
      } catch (IOException e) {
        // The upstream refused: the client sees its connection closed, as on a dead link.
        closeQuietly(client);
      }
    }
  }

  private void pump(SocketChannel from, SocketChannel to, AtomicLong counter, String direction) {
    TokenBucket bucket = new TokenBucket(bytesPerSecond, burstBytes(bytesPerSecond), ticker);
    Thread t = new Thread(() -> copy(from, to, bucket, counter), "proxy " + uri + " " + direction);
    t.setDaemon(true);
    pumps.add(t);
    t.start();
  }

  private static void copy(
      SocketChannel from, SocketChannel to, TokenBucket bucket, AtomicLong counter) {
    ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, bucket.capacityBytes()));
    try {
      while (from.read(buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          int granted = bucket.take(buffer.remaining());
          ByteBuffer slice = buffer.slice(buffer.position(), granted);
          while (slice.hasRemaining()) {
            to.write(slice);
          }
          buffer.position(buffer.position() + granted);
          counter.addAndGet(granted);
        }
        buffer.clear();
      }
      // Pass the end of stream on, so that the other side sees the sender close.
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing after a failure: nothing more to do
    }
  }

  /** Stops accepting, closes every connection and waits for the forwarding threads to end. */
  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (SocketChannel c : channels) {
      closeQuietly(c);
    }
    try {
      acceptor.join();
      for (Thread t : pumps) {
        t.interrupt();
        t.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (unixPath != null) {
        Files.deleteIfExists(unixPath);
      }
    }
  }
}
