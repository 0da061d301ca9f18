package org.crtrmotion.actors.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.crtrmotion.vm.net.Frames;
import org.crtrmotion.vm.net.HostForward;

/**
 * A node's UDP gateway on a cluster network, like QEMU's {@code hostfwd} (and vm-runtime's {@code
 * UdpGateway}, of which it is the switch-port form): datagrams to a host port reach a guest's IP
 * and port from the gateway's address with the client's source port, wherever the guest's VM runs;
 * the guest's replies to the gateway go back to the client. It answers ARP for its own address and
 * drops (counts) every other frame. One thread receives from the host socket.
 */
public final class SwitchGateway implements LocalPort, AutoCloseable {
  private static final int MAX_PAYLOAD = 1472; // one Ethernet frame: no IP fragments

  private final ActorRef<VirtualSwitch.Command> sw;
  private final DatagramChannel channel;
  private final byte[] mac;
  private final byte[] ip;
  private final byte[] guestMac;
  private final byte[] guestIp;
  private final int guestPort;
  private final Map<Integer, SocketAddress> clients = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread receiver;
  private int ipId;

  private SwitchGateway(
      ActorRef<VirtualSwitch.Command> sw,
      DatagramChannel channel,
      byte[] mac,
      byte[] ip,
      HostForward fwd,
      byte[] guestMac)
      throws IOException {
    this.sw = sw;
    this.channel = channel;
    this.mac = mac.clone();
    this.ip = ip.clone();
    this.guestMac = guestMac.clone();
    InetAddress guest = InetAddress.getByName(fwd.guestAddress());
    if (!(guest instanceof Inet4Address)) {
      throw new IOException("guest address " + fwd.guestAddress() + " is not IPv4");
    }
    this.guestIp = guest.getAddress();
    this.guestPort = fwd.guestPort();
    receiver = new Thread(this::receiveLoop, "switch-gateway-" + boundPort());
    receiver.setDaemon(true);
  }

  /**
   * Binds the host port of {@code fwd} and plugs the gateway into {@code sw}.
   *
   * @param mac the gateway's own MAC on the network (one per gateway)
   * @param ip the gateway's address, the source of what the guest receives (QEMU's is 10.0.2.2)
   * @param guestMac the NIC the forwarded datagrams are addressed to
   */
  public static SwitchGateway open(
      ActorRef<VirtualSwitch.Command> sw, byte[] mac, byte[] ip, HostForward fwd, byte[] guestMac)
      throws IOException {
    DatagramChannel ch = DatagramChannel.open();
    try {
      // Room for a few seconds of requests: a JVM stalled by GC or a loaded host must not make the
      // kernel drop what clients sent meanwhile (the default buffer holds a few hundred datagrams).
      ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
      ch.bind(new InetSocketAddress(fwd.hostAddress(), fwd.hostPort()));
      SwitchGateway g = new SwitchGateway(sw, ch, mac, ip, fwd, guestMac);
      sw.tell(new VirtualSwitch.Attach(g, false));
      g.receiver.start();
      return g;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public long mac() {
    return EthernetFrames.mac(mac);
  }

  public int boundPort() {
    try {
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Frames the gateway did not understand or could not pass on. */
  public long dropped() {
    return dropped.get();
  }

  private void receiveLoop() {
    ByteBuffer buf = ByteBuffer.allocate(65536);
    while (channel.isOpen()) {
      try {
        buf.clear();
        InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
        if (from == null) {
          continue;
        }
        buf.flip();
        if (buf.remaining() > MAX_PAYLOAD) {
          dropped.incrementAndGet();
          continue;
        }
        byte[] payload = new byte[buf.remaining()];
        buf.get(payload);
        clients.put(from.getPort(), from);
        sw.tell(new VirtualSwitch.FromPort(mac(), frameToGuest(from.getPort(), payload)));
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        dropped.incrementAndGet(); // an ICMP error for an earlier reply, say: go on
      }
    }
  }

  private synchronized byte[] frameToGuest(int port, byte[] payload) {
    ipId = (ipId + 1) & 0xffff;
    return Frames.udpFrame(
        guestMac, mac, new Frames.Udp(ip, port, guestIp, guestPort, payload), ipId);
  }

  @Override
  public void deliver(byte[] frame) {
    Frames.ArpRequest arp = Frames.arpRequest(frame);
    if (arp != null) {
      if (Arrays.equals(arp.targetIp(), ip)) {
        sw.tell(new VirtualSwitch.FromPort(mac(), Frames.arpReply(arp, mac, ip)));
      }
      return; // another's ARP (a gratuitous one, say): nothing for the gateway
    }
    Frames.Udp udp = Frames.udp(frame);
    SocketAddress client = udp == null ? null : clients.get(udp.dstPort());
    if (client == null
        || !Arrays.equals(udp.dstIp(), ip)
        || EthernetFrames.destination(frame) != mac()) {
      dropped.incrementAndGet();
      return;
    }
    try {
      channel.send(ByteBuffer.wrap(udp.payload()), client);
    } catch (IOException e) {
      dropped.incrementAndGet(); // the host network refused it: lost like on a wire
    }
  }

  @Override
  public void close() {
    sw.tell(new VirtualSwitch.Detach(this));
    try {
      channel.close();
    } catch (IOException e) {
      // closing a datagram socket loses nothing
    }
  }
}
