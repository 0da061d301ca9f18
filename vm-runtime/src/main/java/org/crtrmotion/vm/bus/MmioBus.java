package org.crtrmotion.vm.bus;

import java.util.ArrayList;
import java.util.List;

/** The physical address map of the devices (RAM is handled by the CPU's own fast paths). */
public final class MmioBus {
  private long[] bases = new long[0];
  private long[] ends = new long[0];
  private MmioDevice[] devices = new MmioDevice[0];

  /** Maps a device at a base address; overlapping windows are a wiring error. */
  public void map(long base, MmioDevice device) {
    long end = base + device.size();
    for (int i = 0; i < devices.length; i++) {
      if (base < ends[i] && bases[i] < end) {
        throw new IllegalArgumentException(
            String.format(
                "%s at 0x%x overlaps %s at 0x%x",
                device.name(), base, devices[i].name(), bases[i]));
      }
    }
    int n = devices.length;
    bases = java.util.Arrays.copyOf(bases, n + 1);
    ends = java.util.Arrays.copyOf(ends, n + 1);
    devices = java.util.Arrays.copyOf(devices, n + 1);
    bases[n] = base;
    ends[n] = end;
    devices[n] = device;
  }

  /** Index of the device whose window holds the address, or -1. */
  public int find(long physicalAddress) {
    for (int i = 0; i < devices.length; i++) {
      if (physicalAddress >= bases[i] && physicalAddress < ends[i]) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Whether an access of {@code width} bytes at the address lands wholly inside one device that
   * accepts it.
   */
  public boolean accepts(long physicalAddress, int width) {
    int i = find(physicalAddress);
    return i >= 0
        && physicalAddress + width <= ends[i]
        && devices[i].accepts(physicalAddress - bases[i], width);
  }

  /** Reads from the device at the address; the caller has checked {@link #accepts}. */
  public long read(long physicalAddress, int width) {
    int i = find(physicalAddress);
    return devices[i].read(physicalAddress - bases[i], width);
  }

  public void write(long physicalAddress, int width, long value) {
    int i = find(physicalAddress);
    devices[i].write(physicalAddress - bases[i], width, value);
  }

  public List<MmioDevice> devices() {
    return new ArrayList<>(List.of(devices));
  }
}
