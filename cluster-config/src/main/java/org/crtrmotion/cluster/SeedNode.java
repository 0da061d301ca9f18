package org.crtrmotion.cluster;

/**
 * A node to contact when joining the cluster.
 *
 * @param host host name or IP address
 * @param port its Artery port
 */
public record SeedNode(String host, int port) {
  /** Parses {@code host:port}; the error says what is wrong, the caller names the setting. */
  static SeedNode parse(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("expected host:port, was '" + text + "'");
    }
    String host = text.substring(0, colon);
    int port;
    try {
      port = Integer.parseInt(text.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("the port of '" + text + "' is not a number");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("the port of '" + text + "' is not in 1..65535");
    }
    return new SeedNode(host, port);
  }

  /** The Pekko address of this seed in an actor system named {@code systemName}. */
  public String pekkoAddress(String systemName) {
    return "pekko://" + systemName + "@" + host + ":" + port;
  }
}
