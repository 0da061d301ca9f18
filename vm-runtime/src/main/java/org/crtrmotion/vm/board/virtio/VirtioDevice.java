package org.crtrmotion.vm.board.virtio;

import org.crtrmotion.vm.checkpoint.proto.VirtioSlotState;
import org.crtrmotion.vm.state.StateHasher;

/**
 * A virtio device behind a {@link VirtioMmio} transport: its id, features, config space and the
 * work a notification asks for. Devices complete requests synchronously, at the instruction that
 * notified them, so their effects on guest memory depend on guest state alone.
 */
public interface VirtioDevice {
  /** Called once by the transport the device is plugged into. */
  default void attached(VirtioMmio transport) {}

  /** Device ID (virtio 1.x §5): 1 network, 2 block. */
  int deviceId();

  /** Device-specific feature bits; the transport adds VIRTIO_F_VERSION_1. */
  long features();

  int queueCount();

  /** The largest queue size the device takes (QueueNumMax). */
  int queueSizeMax();

  /** Reads {@code width} bytes of config space at {@code offset}, little endian. */
  long readConfig(int offset, int width);

  default void writeConfig(int offset, int width, long value) {}

  /** The driver notified queue {@code queue}: process what it made available. */
  void notify(int queue, VirtioMmio transport) throws Virtqueue.DriverError;

  /** A device reset (status written 0): drop state that belongs to the driver's session. */
  default void reset() {}

  void digestInto(StateHasher h);

  /** Puts the device's own state into {@code slot}. */
  void saveInto(VirtioSlotState.Builder slot);

  /**
   * Puts the device's state into {@code slot} for an incremental checkpoint since memory generation
   * {@code sinceGeneration} (0: a full one). A device whose state is large may put only what
   * changed since then, if its {@link #restoreFrom} puts that onto the state restored before.
   */
  default void saveInto(VirtioSlotState.Builder slot, int sinceGeneration) {
    saveInto(slot);
  }

  /** Takes the device's own state from {@code slot}; IllegalArgumentException if it is not its. */
  void restoreFrom(VirtioSlotState slot);
}
