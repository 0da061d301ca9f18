package org.crtrmotion.actors.net;

import java.nio.ByteBuffer;

/**
 * What the switch reads from and writes into Ethernet frames: addresses as longs, announcements.
 */
final class EthernetFrames {
  static final long BROADCAST = 0xffff_ffff_ffffL;
  private static final int ETH_HEADER = 14;

  private EthernetFrames() {}

  /** A MAC's six bytes from {@code offset} as a long (the switch's table key). */
  static long mac(byte[] bytes, int offset) {
    long v = 0;
    for (int i = 0; i < 6; i++) {
      v = (v << 8) | (bytes[offset + i] & 0xff);
    }
    return v;
  }

  static long mac(byte[] mac) {
    return mac(mac, 0);
  }

  static long destination(byte[] frame) {
    return mac(frame, 0);
  }

  static long source(byte[] frame) {
    return mac(frame, 6);
  }

  /** Whether the destination is a group address (broadcast or multicast). */
  static boolean toGroup(byte[] frame) {
    return (frame[0] & 1) != 0;
  }

  static boolean wellFormed(byte[] frame) {
    return frame.length >= ETH_HEADER;
  }

  /** The IPv4 source address of an IPv4 or ARP frame from a guest, or null. */
  static byte[] senderIp(byte[] frame) {
    int type = frame.length < ETH_HEADER ? -1 : ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
    int at = type == 0x0800 ? ETH_HEADER + 12 : type == 0x0806 ? ETH_HEADER + 14 : -1;
    if (at < 0 || frame.length < at + 4) {
      return null;
    }
    byte[] ip = new byte[4];
    System.arraycopy(frame, at, ip, 0, 4);
    return ip;
  }

  /**
   * A gratuitous ARP (RFC 5227 announcement): broadcast, from {@code mac}, sender and target IP
   * both {@code ip} (0.0.0.0 when the guest's address is not known: learning switches only read the
   * source MAC).
   */
  static byte[] gratuitousArp(byte[] mac, byte[] ip) {
    ByteBuffer b = ByteBuffer.allocate(ETH_HEADER + 28);
    b.put(new byte[] {-1, -1, -1, -1, -1, -1}).put(mac).putShort((short) 0x0806);
    b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4);
    b.putShort((short) 1).put(mac).put(ip).put(new byte[6]).put(ip);
    return b.array();
  }
}
