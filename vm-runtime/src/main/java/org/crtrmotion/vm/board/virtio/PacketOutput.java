package org.crtrmotion.vm.board.virtio;

/**
 * Where a network device's transmitted frames go: the machine's output (digested, suppressed in
 * replay).
 */
@FunctionalInterface
public interface PacketOutput {
  void transmit(int device, byte[] frame);
}
