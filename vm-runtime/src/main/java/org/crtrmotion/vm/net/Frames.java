package org.crtrmotion.vm.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Just enough Ethernet, ARP, IPv4 and UDP to speak to a guest on the host's behalf. */
public final class Frames {
  public static final int ETH_HEADER = 14;
  public static final int ETHERTYPE_IPV4 = 0x0800;
  public static final int ETHERTYPE_ARP = 0x0806;
  static final int IP_HEADER = 20;
  static final int UDP_HEADER = 8;
  static final int PROTO_UDP = 17;

  private Frames() {}

  /** A UDP datagram as seen on the wire. */
  public record Udp(byte[] srcIp, int srcPort, byte[] dstIp, int dstPort, byte[] payload) {}

  /** An ARP request: who has {@code targetIp}, asked by {@code senderMac}/{@code senderIp}. */
  public record ArpRequest(byte[] senderMac, byte[] senderIp, byte[] targetIp) {}

  public static int etherType(byte[] f) {
    return f.length < ETH_HEADER ? -1 : ((f[12] & 0xff) << 8) | (f[13] & 0xff);
  }

  /** The ARP request in {@code f}, or null when it is none. */
  public static ArpRequest arpRequest(byte[] f) {
    if (etherType(f) != ETHERTYPE_ARP || f.length < ETH_HEADER + 28) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(f, ETH_HEADER, 28).order(ByteOrder.BIG_ENDIAN);
    if (b.getShort() != 1 || b.getShort() != ETHERTYPE_IPV4 || b.get() != 6 || b.get() != 4) {
      return null;
    }
    if (b.getShort() != 1) {
      return null; // a reply, not a request
    }
    int at = ETH_HEADER + 8;
    return new ArpRequest(
        Arrays.copyOfRange(f, at, at + 6),
        Arrays.copyOfRange(f, at + 6, at + 10),
        Arrays.copyOfRange(f, at + 16, at + 20));
  }

  /** The ARP reply "{@code ip} is at {@code mac}" to the asker of {@code request}. */
  public static byte[] arpReply(ArpRequest request, byte[] mac, byte[] ip) {
    ByteBuffer b = ByteBuffer.allocate(ETH_HEADER + 28).order(ByteOrder.BIG_ENDIAN);
    b.put(request.senderMac()).put(mac).putShort((short) ETHERTYPE_ARP);
    b.putShort((short) 1).putShort((short) ETHERTYPE_IPV4).put((byte) 6).put((byte) 4);
    b.putShort((short) 2).put(mac).put(ip).put(request.senderMac()).put(request.senderIp());
    return b.array();
  }

  /** The UDP datagram in an IPv4 frame, or null (not UDP, fragmented, malformed). */
  public static Udp udp(byte[] f) {
    if (etherType(f) != ETHERTYPE_IPV4 || f.length < ETH_HEADER + IP_HEADER + UDP_HEADER) {
      return null;
    }
    int ip = ETH_HEADER;
    int ihl = (f[ip] & 0x0f) * 4;
    int total = ((f[ip + 2] & 0xff) << 8) | (f[ip + 3] & 0xff);
    boolean fragment = (((f[ip + 6] & 0x3f) << 8) | (f[ip + 7] & 0xff)) != 0;
    if ((f[ip] >>> 4) != 4
        || ihl < IP_HEADER
        || f[ip + 9] != PROTO_UDP
        || fragment
        || total < ihl + UDP_HEADER
        || ip + total > f.length) {
      return null;
    }
    int u = ip + ihl;
    int length = ((f[u + 4] & 0xff) << 8) | (f[u + 5] & 0xff);
    if (length < UDP_HEADER || u + length > ip + total) {
      return null;
    }
    return new Udp(
        Arrays.copyOfRange(f, ip + 12, ip + 16),
        ((f[u] & 0xff) << 8) | (f[u + 1] & 0xff),
        Arrays.copyOfRange(f, ip + 16, ip + 20),
        ((f[u + 2] & 0xff) << 8) | (f[u + 3] & 0xff),
        Arrays.copyOfRange(f, u + UDP_HEADER, u + length));
  }

  /** An Ethernet/IPv4/UDP frame carrying {@code d} (UDP checksum 0: none, as IPv4 allows). */
  public static byte[] udpFrame(byte[] dstMac, byte[] srcMac, Udp d, int ipId) {
    int udpLength = UDP_HEADER + d.payload().length;
    ByteBuffer b =
        ByteBuffer.allocate(ETH_HEADER + IP_HEADER + udpLength).order(ByteOrder.BIG_ENDIAN);
    b.put(dstMac).put(srcMac).putShort((short) ETHERTYPE_IPV4);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (IP_HEADER + udpLength));
    b.putShort((short) ipId).putShort((short) 0x4000); // don't fragment
    b.put((byte) 64).put((byte) PROTO_UDP).putShort((short) 0);
    b.put(d.srcIp()).put(d.dstIp());
    b.putShort((short) d.srcPort()).putShort((short) d.dstPort());
    b.putShort((short) udpLength).putShort((short) 0);
    b.put(d.payload());
    byte[] f = b.array();
    int sum = ipChecksum(f, ETH_HEADER, IP_HEADER);
    f[ETH_HEADER + 10] = (byte) (sum >>> 8);
    f[ETH_HEADER + 11] = (byte) sum;
    return f;
  }

  /** The Internet checksum (RFC 1071) of {@code length} bytes. */
  static int ipChecksum(byte[] b, int from, int length) {
    long sum = 0;
    for (int i = 0; i + 1 < length; i += 2) {
      sum += ((b[from + i] & 0xff) << 8) | (b[from + i + 1] & 0xff);
    }
    if ((length & 1) != 0) {
      sum += (b[from + length - 1] & 0xff) << 8;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }
}
