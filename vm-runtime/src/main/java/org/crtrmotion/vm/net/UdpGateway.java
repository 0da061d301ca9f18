package org.crtrmotion.vm.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host end of a NIC that forwards a host UDP port to a guest's IP and port and back, as QEMU's
 * user network does with {@code hostfwd}: a datagram from a host program arrives in the guest from
 * the gateway 10.0.2.2 with the program's source port; the guest's reply to 10.0.2.2 at that port
 * goes back to the program. The gateway answers the guest's ARP requests for 10.0.2.2 and drops
 * every other frame (counted). One thread receives from the host socket.
 */
public final class UdpGateway implements NetBackend {
  public static final byte[] GATEWAY_IP = {10, 0, 2, 2};
  public static final byte[] GATEWAY_MAC = {0x52, 0x55, 0x0a, 0x00, 0x02, 0x02};
  private static final int MAX_PAYLOAD = 1472; // one Ethernet frame: no IP fragments

  private final DatagramChannel channel;
  private final byte[] guestMac;
  private final byte[] guestIp;
  private final int guestPort;
  private final FrameQueue toGuest = new FrameQueue(FrameQueue.DEFAULT_CAPACITY);
  private final Map<Integer, SocketAddress> clients = new ConcurrentHashMap<>();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread receiver;
  private int ipId;

  private UdpGateway(DatagramChannel channel, byte[] guestMac, HostForward fwd) throws IOException {
    this.channel = channel;
    this.guestMac = guestMac.clone();
    InetAddress guest = InetAddress.getByName(fwd.guestAddress());
    if (!(guest instanceof Inet4Address)) {
      throw new IOException("guest address " + fwd.guestAddress() + " is not IPv4");
    }
    this.guestIp = guest.getAddress();
    this.guestPort = fwd.guestPort();
    receiver = new Thread(this::receiveLoop, "udp-gateway-" + boundPort());
    receiver.setDaemon(true);
  }

  /** Binds the host port and starts forwarding to the guest whose NIC has {@code guestMac}. */
  public static UdpGateway open(HostForward fwd, byte[] guestMac) throws IOException {
    DatagramChannel ch = DatagramChannel.open();
    try {
      ch.bind(new InetSocketAddress(fwd.hostAddress(), fwd.hostPort()));
      UdpGateway g = new UdpGateway(ch, guestMac, fwd);
      g.receiver.start();
      return g;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** The host port datagrams for the guest go to (useful when 0 was asked for). */
  public int boundPort() {
    try {
      return ((InetSocketAddress) channel.getLocalAddress()).getPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Frames the gateway did not understand or could not pass on. */
  public long dropped() {
    return dropped.get() + toGuest.dropped();
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
        toGuest.offer(frameToGuest(from.getPort(), payload));
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
        guestMac, GATEWAY_MAC, new Frames.Udp(GATEWAY_IP, port, guestIp, guestPort, payload), ipId);
  }

  @Override
  public void send(byte[] frame) {
    Frames.ArpRequest arp = Frames.arpRequest(frame);
    if (arp != null) {
      if (Arrays.equals(arp.targetIp(), GATEWAY_IP)) {
        toGuest.offer(Frames.arpReply(arp, GATEWAY_MAC, GATEWAY_IP));
      }
      return;
    }
    Frames.Udp udp = Frames.udp(frame);
    SocketAddress client = udp == null ? null : clients.get(udp.dstPort());
    if (client == null
        || !Arrays.equals(udp.dstIp(), GATEWAY_IP)
        || !Arrays.equals(udp.srcIp(), guestIp)
        || udp.srcPort() != guestPort) {
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
  public byte[] poll() {
    return toGuest.poll();
  }

  @Override
  public void onArrival(Runnable hook) {
    toGuest.onArrival(hook);
  }

  @Override
  public void close() {
    try {
      channel.close();
    } catch (IOException e) {
      // closing a datagram socket loses nothing
    }
  }
}
