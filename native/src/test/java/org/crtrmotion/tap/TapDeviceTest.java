package org.crtrmotion.tap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.crtrmotion.vm.net.Frames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TapDeviceTest {
  static final String TAP = "crtrtap0";
  static final byte[] HOST_IP = {10, 9, 0, 1};
  static final byte[] HOST_MAC = {0x02, 0, 0, 0, 0, 0x01};
  static final byte[] PEER_IP = {10, 9, 0, 2};
  static final byte[] PEER_MAC = {0x52, 0x54, 0, 0x12, 0x34, 0x56};

  private ScratchNamespace ns;
  private TapBackend backend;
  private final Semaphore arrivals = new Semaphore(0);

  @BeforeEach
  void tapInAScratchNamespace() throws Exception {
    ScratchNamespace.assumeTapAvailable();
    ns = ScratchNamespace.create();
    backend = NetNamespace.callIn(ns.name, () -> TapBackend.open(TAP));
    backend.onArrival(arrivals::release);
    ns.ip("link", "set", "dev", TAP, "address", "02:00:00:00:00:01");
    ns.ip("addr", "add", "10.9.0.1/24", "dev", TAP);
    ns.ip("link", "set", "dev", TAP, "up");
  }

  @AfterEach
  void cleanUp() throws Exception {
    try {
      if (backend != null) {
        backend.close();
      }
    } finally {
      if (ns != null) {
        ns.close();
      }
    }
  }

  /**
   * The next frame from the host that {@code wanted} accepts; others (IPv6 chatter) are skipped.
   */
  private byte[] nextFrame(Predicate<byte[]> wanted) throws InterruptedException {
    while (arrivals.tryAcquire(10, TimeUnit.SECONDS)) {
      byte[] f = backend.poll();
      if (f != null && wanted.test(f)) {
        return f;
      }
    }
    throw new AssertionError("no wanted frame from " + TAP);
  }

  @Test
  void aHostDatagramLeavesTheInterfaceAsArpRequestThenUdpFrame() throws Exception {
    byte[] payload = "hello guest".getBytes(StandardCharsets.US_ASCII);
    try (DatagramChannel host = NetNamespace.callIn(ns.name, DatagramChannel::open)) {
      host.bind(new InetSocketAddress("10.9.0.1", 0));
      host.send(ByteBuffer.wrap(payload), new InetSocketAddress("10.9.0.2", 5555));
      byte[] arp = nextFrame(f -> Frames.arpRequest(f) != null);
      assertArrayEquals(PEER_IP, Frames.arpRequest(arp).targetIp());
      backend.send(Frames.arpReply(Frames.arpRequest(arp), PEER_MAC, PEER_IP));
      byte[] frame = nextFrame(f -> Frames.udp(f) != null);
      assertArrayEquals(payload, Frames.udp(frame).payload());
      assertEquals(5555, Frames.udp(frame).dstPort());
    }
  }

  @Test
  void aFrameWrittenToTheInterfaceReachesAHostSocket() throws Exception {
    byte[] payload = "hello host".getBytes(StandardCharsets.US_ASCII);
    try (DatagramSocket host =
        NetNamespace.callIn(
            ns.name, () -> new DatagramSocket(new InetSocketAddress("10.9.0.1", 0)))) {
      host.setSoTimeout(10_000); // only guards against a frame that never arrives
      backend.send(
          Frames.udpFrame(
              HOST_MAC,
              PEER_MAC,
              new Frames.Udp(PEER_IP, 4000, HOST_IP, host.getLocalPort(), payload),
              1));
      DatagramPacket got = new DatagramPacket(new byte[1500], 1500);
      host.receive(got);
      assertArrayEquals(payload, Arrays.copyOf(got.getData(), got.getLength()));
      assertEquals("10.9.0.2:4000", got.getAddress().getHostAddress() + ":" + got.getPort());
      assertEquals(0, backend.dropped());
    }
  }

  @Test
  void closingEndsAReadInProgress() throws Exception {
    TapDevice tap = NetNamespace.callIn(ns.name, () -> TapDevice.open("crtrtap1"));
    byte[][] got = {{0}};
    Thread reader =
        new Thread(
            () -> {
              try {
                got[0] = tap.read();
              } catch (IOException e) {
                throw new AssertionError(e);
              }
            });
    reader.start();
    tap.close();
    reader.join(10_000); // only guards against a read that close() did not end
    assertFalse(reader.isAlive(), "the reader is still blocked after close()");
    assertNull(got[0]);
  }

  @Test
  void openingAnOpenTapIsRefusedNamingTheDeviceAndErrno() throws Exception {
    IOException e =
        assertThrows(
            IOException.class, () -> NetNamespace.callIn(ns.name, () -> TapDevice.open(TAP)));
    assertTrue(
        e.getMessage().contains("'" + TAP + "'") && e.getMessage().contains("errno"),
        e.getMessage());
  }
}
