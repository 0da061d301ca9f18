package org.crtrmotion.ops.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of {@code bench streams}: the same bytes written through a plain {@link Socket} over
 * loopback and read on the other side by another thread, with nothing done to them.
 */
final class SocketCopy {
  private static final int BUFFER_BYTES = 64 << 10;

  /**
   * Bytes the reader took in, the seconds from connecting to the reader seeing the end, and the CPU
   * seconds this JVM used meanwhile (kernel time of both ends included).
   */
  record Copied(long bytesReceived, double seconds, double cpuSeconds) {}

  private SocketCopy() {}

  static Copied copy(List<byte[]> chunks) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Long> received =
          CompletableFuture.supplyAsync(
              () -> {
                try (Socket s = server.accept();
                    InputStream in = s.getInputStream()) {
                  byte[] buffer = new byte[BUFFER_BYTES];
                  long total = 0;
                  for (int n; (n = in.read(buffer)) >= 0; ) {
                    total += n;
                  }
                  return total;
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      long cpu = ProcessCpu.nanos();
      long start = System.nanoTime();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
          OutputStream out = new BufferedOutputStream(s.getOutputStream(), BUFFER_BYTES)) {
        for (byte[] chunk : chunks) {
          out.write(chunk);
        }
      }
      long bytes = received.get(10, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Copied(bytes, seconds, (ProcessCpu.nanos() - cpu) / 1e9);
    }
  }
}
