package org.crtrmotion.vm.net;

/**
 * A host UDP port forwarded to a guest port, in QEMU's syntax: {@code
 * hostfwd=udp:HOSTADDR:HOSTPORT-[GUESTADDR]:GUESTPORT}. The guest address defaults to 10.0.2.15,
 * the address QEMU's user network gives the first guest.
 */
public record HostForward(String hostAddress, int hostPort, String guestAddress, int guestPort) {
  public static final String DEFAULT_GUEST = "10.0.2.15";

  public static HostForward parse(String spec) {
    String s = spec.startsWith("hostfwd=") ? spec.substring("hostfwd=".length()) : spec;
    if (!s.startsWith("udp:")) {
      throw new IllegalArgumentException(
          "'" + spec + "' is not hostfwd=udp:HOSTADDR:HOSTPORT-:GUESTPORT (only UDP is forwarded)");
    }
    String[] sides = s.substring(4).split("-", -1);
    if (sides.length != 2) {
      throw new IllegalArgumentException("'" + spec + "' needs one '-' between host and guest");
    }
    int hostColon = sides[0].lastIndexOf(':');
    int guestColon = sides[1].lastIndexOf(':');
    if (hostColon < 0 || guestColon < 0) {
      throw new IllegalArgumentException("'" + spec + "' needs ADDR:PORT on both sides");
    }
    String host = sides[0].substring(0, hostColon);
    String guest = sides[1].substring(0, guestColon);
    return new HostForward(
        host.isEmpty() ? "127.0.0.1" : host,
        port(sides[0].substring(hostColon + 1), spec, true),
        guest.isEmpty() ? DEFAULT_GUEST : guest,
        port(sides[1].substring(guestColon + 1), spec, false));
  }

  private static int port(String text, String spec, boolean zeroAllowed) {
    try {
      int p = Integer.parseInt(text);
      if (p < (zeroAllowed ? 0 : 1) || p > 65535) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' in '" + spec + "' is not a port number");
    }
  }
}
