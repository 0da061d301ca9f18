package org.crtrmotion.simulations.qemu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimitedProxyTest {
  private static final long RATE = 100_000; // bytes per second
  private static final int SIZE = 1 << 20;

  /** Runs an upstream that reads everything a client sends, then answers with {@code reply}. */
  private static CompletableFuture<byte[]> upstream(ServerSocket server, byte[] reply) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (Socket s = server.accept()) {
            byte[] got = s.getInputStream().readAllBytes();
            s.getOutputStream().write(reply);
            return got;
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] exchange(RateLimitedProxy proxy, byte[] request) throws Exception {
    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      OutputStream out = client.getOutputStream();
      out.write(request);
      client.shutdownOutput();
      InputStream in = client.getInputStream();
      return in.readAllBytes();
    }
  }

  @Test
  void forwardsTheStreamIntactInBothDirections() throws Exception {
    byte[] request = random(SIZE, 1);
    byte[] reply = random(SIZE / 4, 2);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RateLimitedProxy proxy =
            RateLimitedProxy.start(
                (InetSocketAddress) server.getLocalSocketAddress(), RATE, new FakeTicker())) {
      CompletableFuture<byte[]> received = upstream(server, reply);
      assertArrayEquals(reply, exchange(proxy, request));
      assertArrayEquals(request, received.get());
    }
  }

  @Test
  void countsTheBytesOfEachDirection() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RateLimitedProxy proxy =
            RateLimitedProxy.start(
                (InetSocketAddress) server.getLocalSocketAddress(), RATE, new FakeTicker())) {
      CompletableFuture<byte[]> received = upstream(server, random(1234, 2));
      exchange(proxy, random(SIZE, 1));
      received.get();
      assertEquals(SIZE, proxy.bytesToUpstream());
      assertEquals(1234, proxy.bytesFromUpstream());
      assertEquals(1, proxy.connections());
    }
  }

  @Test
  void holdsTheStreamToTheCapMeasuredOnItsClock() throws Exception {
    FakeTicker clock = new FakeTicker();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RateLimitedProxy proxy =
            RateLimitedProxy.start(
                (InetSocketAddress) server.getLocalSocketAddress(), RATE, clock)) {
      CompletableFuture<byte[]> received = upstream(server, new byte[0]);
      exchange(proxy, random(SIZE, 1));
      received.get();
      // Only the forward direction waited on the clock: it carried SIZE bytes at RATE after one
      // burst, so the clock must have moved at least that long.
      double minimum = (SIZE - RateLimitedProxy.burstBytes(RATE)) / (double) RATE;
      assertTrue(clock.seconds() >= minimum, clock.seconds() + " s < " + minimum + " s");
    }
  }

  @Test
  void aUnixDomainFrontForwardsToTheTcpUpstream(@TempDir Path dir) throws Exception {
    byte[] request = random(SIZE / 4, 3);
    byte[] reply = random(100, 4);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        RateLimitedProxy proxy =
            RateLimitedProxy.startUnix(
                dir.resolve("link.sock"),
                (InetSocketAddress) server.getLocalSocketAddress(),
                RATE,
                new FakeTicker())) {
      CompletableFuture<byte[]> received = upstream(server, reply);
      assertEquals("unix:" + dir.resolve("link.sock"), proxy.uri());
      try (SocketChannel client = SocketChannel.open(proxy.address())) {
        client.write(ByteBuffer.wrap(request));
        client.shutdownOutput();
        assertArrayEquals(reply, Channels.newInputStream(client).readAllBytes());
      }
      assertArrayEquals(request, received.get());
      assertEquals(request.length, proxy.bytesToUpstream());
    }
  }

  @Test
  void aClientOfADeadUpstreamSeesItsConnectionClosed() throws Exception {
    InetSocketAddress nowhere;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nowhere = (InetSocketAddress) s.getLocalSocketAddress();
    }
    try (RateLimitedProxy proxy = RateLimitedProxy.start(nowhere, RATE, new FakeTicker());
        Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
      assertEquals(-1, client.getInputStream().read());
    }
  }

  @Test
  void aCapThatIsNotPositiveIsRefusedNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RateLimitedProxy.start(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 1), -5));
    assertTrue(e.getMessage().contains("bytesPerSecond"), e.getMessage());
  }
}
