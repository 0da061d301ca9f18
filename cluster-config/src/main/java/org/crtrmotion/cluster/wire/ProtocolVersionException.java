package org.crtrmotion.cluster.wire;

import java.io.NotSerializableException;

/**
 * A message from a peer speaking another version of a protocol: refused, never guessed at. Pekko's
 * remoting logs it with the sender's address and drops the message.
 */
public final class ProtocolVersionException extends NotSerializableException {
  private static final long serialVersionUID = 1L;

  private final int peerVersion;
  private final int ownVersion;

  ProtocolVersionException(String protocol, String manifest, int peerVersion, int ownVersion) {
    super(
        String.format(
            "refused a %s message (manifest %s) of protocol version %d: this node speaks %s"
                + " version %d; upgrade the older node",
            protocol, manifest, peerVersion, protocol, ownVersion));
    this.peerVersion = peerVersion;
    this.ownVersion = ownVersion;
  }

  public int peerVersion() {
    return peerVersion;
  }

  public int ownVersion() {
    return ownVersion;
  }
}
