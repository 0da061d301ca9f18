package org.crtrmotion.vm.input;

/**
 * A network device as the input boundary sees it: whether the guest has a receive buffer posted,
 * the device taking a frame into guest memory, and (live only) the host backend's next frame.
 * Frames cross into the guest only through {@link TraceClock}, which records each one.
 */
public interface PacketPort {
  /** Whether the guest has posted a buffer: guest state only, so replay agrees. */
  boolean canReceive();

  /** Writes {@code frame} into the guest's next receive buffer and interrupts it. */
  void receive(byte[] frame);

  /** The host backend's next frame, or null when none waits; never called in replay. */
  byte[] pollHost();
}
