package org.crtrmotion.simulations.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 that forwards each accepted connection to one upstream address at a
 * capped rate, like a link of that bandwidth.
 *
 * <p>Each direction has its own {@link TokenBucket} at the cap (a full-duplex link), holding at
 * most 10 ms of traffic, so every byte of the stream, including QEMU's final stop-and-copy pass
 * that its own {@code max-bandwidth} leaves uncapped, crosses at the link's rate. Socket buffers on
 * both of the proxy's sides are kept small, so that little data can queue in the kernel beyond the
 * cap and the sender sees the link's pace. Bytes are counted per direction.
 */
public final class RateLimitedProxy implements AutoCloseable {
  private static final int CHUNK_BYTES = 16 * 1024;
  private static final int SOCKET_BUFFER_BYTES = 64 * 1024;
  private static final long MIN_BURST_BYTES = 4 * 1024;

  private final InetSocketAddress upstream;
  private final long bytesPerSecond;
  private final Ticker ticker;
  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final List<Thread> pumps = new CopyOnWriteArrayList<>();
  private final AtomicLong bytesToUpstream = new AtomicLong();
  private final AtomicLong bytesFromUpstream = new AtomicLong();
  private final AtomicInteger connections = new AtomicInteger();
  private volatile boolean closed;

  private RateLimitedProxy(InetSocketAddress upstream, long bytesPerSecond, Ticker ticker)
      throws IOException {
    this.upstream = upstream;
    this.bytesPerSecond = bytesPerSecond;
    this.ticker = ticker;
    this.server = new ServerSocket();
    // Set before bind: the receive window is negotiated when a connection is accepted.
    server.setReceiveBufferSize(SOCKET_BUFFER_BYTES);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.acceptor = new Thread(this::acceptLoop, "proxy-accept-" + server.getLocalPort());
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
    if (bytesPerSecond <= 0) {
      throw new IllegalArgumentException("bytesPerSecond must be positive, got " + bytesPerSecond);
    }
    return new RateLimitedProxy(upstream, bytesPerSecond, ticker);
  }

  /** The port the proxy listens on, on 127.0.0.1. */
  public int port() {
    return server.getLocalPort();
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

  /** The most a bucket holds: 10 ms of traffic, at least 4 KiB. */
  static long burstBytes(long bytesPerSecond) {
    return Math.max(MIN_BURST_BYTES, bytesPerSecond / 100);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(client);
      connections.incrementAndGet();
      try {
        Socket up = new Socket();
        sockets.add(up);
        up.setSendBufferSize(SOCKET_BUFFER_BYTES);
        up.connect(upstream);
        pump(client, up, bytesToUpstream, "up");
        pump(up, client, bytesFromUpstream, "down");
      } catch (IOException e) {
        // The upstream refused: the client sees its connection closed, as on a dead link.
        closeQuietly(client);
      }
    }
  }

  private void pump(Socket from, Socket to, AtomicLong counter, String direction) {
    TokenBucket bucket = new TokenBucket(bytesPerSecond, burstBytes(bytesPerSecond), ticker);
    Thread t =
        new Thread(() -> copy(from, to, bucket, counter), "proxy-" + port() + "-" + direction);
    t.setDaemon(true);
    pumps.add(t);
    t.start();
  }

  private static void copy(Socket from, Socket to, TokenBucket bucket, AtomicLong counter) {
    byte[] buffer = new byte[(int) Math.min(CHUNK_BYTES, bucket.capacityBytes())];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        int off = 0;
        while (off < n) {
          int granted = bucket.take(n - off);
          out.write(buffer, off, granted);
          counter.addAndGet(granted);
          off += granted;
        }
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

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing after a failure: nothing more to do
    }
  }

  /** Stops accepting, closes every connection and waits for the forwarding threads to end. */
  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    try {
      acceptor.join();
      for (Thread t : pumps) {
        t.interrupt();
        t.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
