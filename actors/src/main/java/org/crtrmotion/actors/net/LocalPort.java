package org.crtrmotion.actors.net;

/** Something plugged into this node's switch: a VM's NIC or the node's gateway. */
interface LocalPort {
  /** Its MAC as {@link EthernetFrames#mac(byte[])} packs it. */
  long mac();

  /** A frame for it. Called on the switch's thread; must not block. */
  void deliver(byte[] frame);
}
