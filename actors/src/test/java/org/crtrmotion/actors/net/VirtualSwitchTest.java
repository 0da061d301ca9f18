package org.crtrmotion.actors.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.crtrmotion.actors.coordinator.CoordinatorSettings;
import org.crtrmotion.actors.embedded.EmbeddedCluster;
import org.crtrmotion.vm.net.Frames;
import org.crtrmotion.vm.net.HostForward;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster virtual switch on three in-JVM nodes (every frame between nodes crosses the crtr.net
 * serializer): delivery wherever a MAC's port is, flooding, a frozen port's hold following it to
 * another node, the gratuitous ARP that re-points the MAC, and the node gateway.
 */
class VirtualSwitchTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  private static EmbeddedCluster cluster;
  private static int nextMac = 1;

  @BeforeAll
  static void start() {
    cluster =
        EmbeddedCluster.start(List.of("a", "b", "c"), 64L << 20, CoordinatorSettings.defaults());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** A port on {@code node} and what reaches it. */
  private record Plug(byte[] mac, SwitchPort port, BlockingQueue<byte[]> received) {
    byte[] next() throws InterruptedException {
      byte[] f = received.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(f, "no frame arrived");
      return f;
    }

    /** The next frame that is not an announcement (gratuitous ARPs are broadcast to all). */
    byte[] nextUnicast() throws InterruptedException {
      while (true) {
        byte[] f = next();
        if (!EthernetFrames.toGroup(f)) {
          return f;
        }
      }
    }
  }

  private static byte[] freshMac() {
    return new byte[] {0x52, 0x54, 0x00, 0x00, 0x00, (byte) nextMac++};
  }

  private static Plug plug(String node, byte[] mac, boolean standby) {
    SwitchNetwork net = new SwitchNetwork(cluster.node(node).lanSwitch());
    SwitchPort port = (SwitchPort) net.attach("test", mac, standby);
    BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    port.onArrival(
        () -> {
          for (byte[] f = port.poll(); f != null; f = port.poll()) {
            received.add(f);
          }
        });
    return new Plug(mac, port, received);
  }

  private static byte[] frame(byte[] to, byte[] from, String text) {
    return Frames.udpFrame(
        to,
        from,
        new Frames.Udp(new byte[] {10, 0, 2, 20}, 7, new byte[] {10, 0, 2, 21}, 7, text.getBytes()),
        1);
  }

  private static String text(byte[] frame) {
    return new String(Frames.udp(frame).payload(), StandardCharsets.UTF_8);
  }

  @Test
  void aFrameForAPortOnAnotherNodeIsDeliveredThere() throws Exception {
    Plug x = plug("a", freshMac(), false);
    Plug y = plug("b", freshMac(), false);
    x.port().send(frame(y.mac(), x.mac(), "to y"));
    assertEquals("to y", text(y.nextUnicast()));
    y.port().send(frame(x.mac(), y.mac(), "to x"));
    assertEquals("to x", text(x.nextUnicast()));
  }

  @Test
  void aBroadcastReachesEveryOtherPortOnEveryNode() throws Exception {
    Plug x = plug("a", freshMac(), false);
    Plug y = plug("b", freshMac(), false);
    Plug z = plug("c", freshMac(), false);
    byte[] broadcast = frame(new byte[] {-1, -1, -1, -1, -1, -1}, x.mac(), "all");
    x.port().send(broadcast);
    assertArrayEquals(broadcast, y.next());
    assertArrayEquals(broadcast, z.next());
    assertNull(x.received().poll(), "not back to its sender");
  }

  @Test
  void aFrozenPortsFramesFollowItToTheTargetWhichAnnouncesTheMac() throws Exception {
    byte[] vmMac = freshMac();
    Plug source = plug("a", vmMac, false);
    Plug peer = plug("c", freshMac(), false);
    peer.port().send(frame(vmMac, peer.mac(), "before"));
    assertEquals("before", text(source.nextUnicast()));
    source.port().hold();
    for (int i = 1; i <= 3; i++) {
      peer.port().send(frame(vmMac, peer.mac(), "held " + i));
    }
    awaitHeld(source.port(), 3);
    Plug target = plug("b", vmMac, true);
    cluster.node("a").lanSwitch().tell(new VirtualSwitch.HandOver(EthernetFrames.mac(vmMac), "b"));
    for (int i = 1; i <= 3; i++) {
      assertEquals("held " + i, text(target.nextUnicast()));
    }
    cluster.node("b").lanSwitch().tell(new VirtualSwitch.Activate(EthernetFrames.mac(vmMac)));
    byte[] announce = peer.next();
    assertEquals(Frames.ETHERTYPE_ARP, Frames.etherType(announce));
    assertEquals(EthernetFrames.mac(vmMac), EthernetFrames.source(announce));
    peer.port().send(frame(vmMac, peer.mac(), "after"));
    assertEquals("after", text(target.nextUnicast()));
    assertEquals(new NetworkHold(3, 0), source.port().holdCounts());
    assertNull(source.received().poll(), "nothing reached the frozen source");
  }

  @Test
  void anAbortGivesTheHeldFramesBackToThePortInOrder() throws Exception {
    Plug source = plug("a", freshMac(), false);
    Plug peer = plug("b", freshMac(), false);
    source.port().hold();
    peer.port().send(frame(source.mac(), peer.mac(), "one"));
    peer.port().send(frame(source.mac(), peer.mac(), "two"));
    awaitHeld(source.port(), 2);
    source.port().release();
    assertEquals("one", text(source.nextUnicast()));
    assertEquals("two", text(source.nextUnicast()));
  }

  @Test
  void theGatewayForwardsAHostDatagramToAGuestOnAnotherNodeAndTheReplyBack() throws Exception {
    Plug guest = plug("b", freshMac(), false);
    byte[] gatewayMac = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};
    byte[] gatewayIp = {10, 0, 2, 2};
    try (SwitchGateway gateway =
            SwitchGateway.open(
                cluster.node("a").lanSwitch(),
                gatewayMac,
                gatewayIp,
                new HostForward("127.0.0.1", 0, "10.0.2.15", 5555),
                guest.mac());
        DatagramChannel client = DatagramChannel.open()) {
      client.bind(new InetSocketAddress("127.0.0.1", 0));
      InetSocketAddress to = new InetSocketAddress("127.0.0.1", gateway.boundPort());
      client.send(ByteBuffer.wrap("ping".getBytes()), to);
      byte[] in = guest.nextUnicast();
      Frames.Udp request = Frames.udp(in);
      assertEquals("ping", new String(request.payload(), StandardCharsets.UTF_8));
      assertEquals(5555, request.dstPort());
      byte[] reply =
          Frames.udpFrame(
              gatewayMac,
              guest.mac(),
              new Frames.Udp(
                  request.dstIp(), 5555, request.srcIp(), request.srcPort(), "pong".getBytes()),
              2);
      guest.port().send(reply);
      ByteBuffer back = ByteBuffer.allocate(100);
      client.receive(back); // blocking: the reply is on its way
      back.flip();
      assertEquals("pong", StandardCharsets.UTF_8.decode(back).toString());
    }
  }

  /** The hold is filled on the switch's thread: wait for it through the port's own counter. */
  private static void awaitHeld(SwitchPort port, long frames) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (port.holdCounts().heldFrames() < frames) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("held " + port.holdCounts() + ", expected " + frames);
      }
      Thread.onSpinWait();
    }
  }
}
