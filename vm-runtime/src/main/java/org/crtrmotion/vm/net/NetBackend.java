package org.crtrmotion.vm.net;

/**
 * The host side of a virtual NIC: where the guest's frames go and where frames for it come from.
 * Frames are whole Ethernet frames without FCS. The machine's thread calls {@link #send} and {@link
 * #poll}; a backend fed from other threads queues (bounded) what arrives and calls the arrival hook
 * so an idle guest wakes. In replay no backend is asked for anything: frames come from the trace.
 */
public interface NetBackend extends AutoCloseable {
  /** A frame the guest sent. Must not block the machine for long. */
  void send(byte[] frame);

  /** The next frame for the guest, or null when none waits. */
  byte[] poll();

  /** Calls {@code hook} (from any thread) whenever a frame arrives for the guest. */
  void onArrival(Runnable hook);

  @Override
  default void close() {}
}
