package org.crtrmotion.vm.bus;

/**
 * A device register window on the physical bus. Accesses arrive with an offset inside the window
 * and a width of 1, 2, 4 or 8 bytes; a device answers what the hardware would, and never throws for
 * anything a guest can do: unsupported accesses read as zero and writes are ignored, unless the
 * device returns {@code false} from {@link #accepts} to make the bus raise an access fault.
 */
public interface MmioDevice {
  /** A short name for diagnostics, such as "uart0". */
  String name();

  /** Size of the register window in bytes. */
  long size();

  /** Whether an access of this width at this offset exists at all (else: access fault). */
  default boolean accepts(long offset, int width) {
    return true;
  }

  long read(long offset, int width);

  void write(long offset, int width, long value);
}
