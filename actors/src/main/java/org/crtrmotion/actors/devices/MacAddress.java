package org.crtrmotion.actors.devices;

import java.util.HexFormat;

/** Ethernet MAC addresses as text ({@code 52:54:00:12:34:56}) and as the six bytes frames carry. */
public final class MacAddress {
  private static final HexFormat COLONS = HexFormat.ofDelimiter(":");

  private MacAddress() {}

  /** The six bytes of a unicast MAC; bad text is refused naming it. */
  public static byte[] parse(String text) {
    byte[] mac;
    try {
      mac = text == null || text.length() != 17 ? null : COLONS.parseHex(text);
    } catch (IllegalArgumentException e) {
      mac = null;
    }
    if (mac == null || mac.length != 6) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a MAC address (six hex bytes separated by ':')");
    }
    if ((mac[0] & 1) != 0) {
      throw new IllegalArgumentException("'" + text + "' is a multicast MAC, a NIC needs unicast");
    }
    return mac;
  }

  public static String format(byte[] mac) {
    return COLONS.formatHex(mac);
  }
}
