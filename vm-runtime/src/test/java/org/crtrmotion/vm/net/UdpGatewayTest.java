package org.crtrmotion.vm.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hostfwd gateway over real UDP sockets on 127.0.0.1, seen from the guest's side. */
class UdpGatewayTest {
  private static final byte[] GUEST_MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
  private static final byte[] GUEST_IP = {10, 0, 2, 15};

  private UdpGateway gateway;
  private final Semaphore arrivals = new Semaphore(0);
  private DatagramSocket client;

  @BeforeEach
  void setUp() throws Exception {
    gateway = UdpGateway.open(HostForward.parse("hostfwd=udp:127.0.0.1:0-:5555"), GUEST_MAC);
    gateway.onArrival(arrivals::release);
    client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    client.setSoTimeout(10_000); // a guard against a broken gateway, not a timing assertion
  }

  @AfterEach
  void tearDown() {
    gateway.close();
    client.close();
  }

  private byte[] nextFrame() throws InterruptedException {
    assertTrue(arrivals.tryAcquire(10, TimeUnit.SECONDS), "no frame for the guest");
    return gateway.poll();
  }

  private void sendFromHost(byte[] payload) throws Exception {
    client.send(
        new DatagramPacket(
            payload, payload.length, InetAddress.getLoopbackAddress(), gateway.boundPort()));
  }

  @Test
  void aHostDatagramReachesTheGuestFromTheGatewayWithTheClientsPort() throws Exception {
    sendFromHost(new byte[] {1, 2, 3});
    Frames.Udp udp = Frames.udp(nextFrame());
    assertNotNull(udp);
    assertArrayEquals(UdpGateway.GATEWAY_IP, udp.srcIp());
    assertEquals(client.getLocalPort(), udp.srcPort());
    assertArrayEquals(GUEST_IP, udp.dstIp());
    assertEquals(5555, udp.dstPort());
    assertArrayEquals(new byte[] {1, 2, 3}, udp.payload());
  }

  @Test
  void theGuestsReplyGoesBackToTheClient() throws Exception {
    sendFromHost(new byte[] {9});
    nextFrame();
    gateway.send(
        Frames.udpFrame(
            UdpGateway.GATEWAY_MAC,
            GUEST_MAC,
            new Frames.Udp(
                GUEST_IP, 5555, UdpGateway.GATEWAY_IP, client.getLocalPort(), new byte[] {7, 7}),
            1));
    DatagramPacket reply = new DatagramPacket(new byte[100], 100);
    client.receive(reply);
    assertEquals(2, reply.getLength());
    assertEquals(gateway.boundPort(), reply.getPort());
  }

  @Test
  void theGatewayAnswersArpForItsAddressOnly() throws Exception {
    byte[] request = arpRequest(UdpGateway.GATEWAY_IP);
    gateway.send(request);
    byte[] reply = nextFrame();
    assertEquals(Frames.ETHERTYPE_ARP, Frames.etherType(reply));
    assertArrayEquals(GUEST_MAC, java.util.Arrays.copyOfRange(reply, 0, 6));
    assertArrayEquals(UdpGateway.GATEWAY_MAC, java.util.Arrays.copyOfRange(reply, 22, 28));
    gateway.send(arpRequest(new byte[] {10, 0, 2, 3}));
    assertNull(gateway.poll());
  }

  @Test
  void aReplyToAPortNoClientUsedIsDroppedAndCounted() {
    gateway.send(
        Frames.udpFrame(
            UdpGateway.GATEWAY_MAC,
            GUEST_MAC,
            new Frames.Udp(GUEST_IP, 5555, UdpGateway.GATEWAY_IP, 40000, new byte[] {1}),
            1));
    assertEquals(1, gateway.dropped());
  }

  private static byte[] arpRequest(byte[] target) {
    byte[] f = new byte[42];
    java.util.Arrays.fill(f, 0, 6, (byte) 0xff);
    System.arraycopy(GUEST_MAC, 0, f, 6, 6);
    f[12] = 0x08;
    f[13] = 0x06;
    f[15] = 1; // Ethernet
    f[16] = 0x08; // IPv4
    f[18] = 6;
    f[19] = 4;
    f[21] = 1; // request
    System.arraycopy(GUEST_MAC, 0, f, 22, 6);
    System.arraycopy(GUEST_IP, 0, f, 28, 4);
    System.arraycopy(target, 0, f, 38, 4);
    return f;
  }
}
