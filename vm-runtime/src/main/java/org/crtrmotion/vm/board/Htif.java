package org.crtrmotion.vm.board;

import org.crtrmotion.vm.checkpoint.proto.HtifState;
import org.crtrmotion.vm.cpu.Mmu;
import org.crtrmotion.vm.memory.GuestMemory;

/**
 * The host-target interface of Spike and the riscv-tests: a guest writes a command to the {@code
 * tohost} word of its ELF; {@code fromhost} carries the reply. Supported: exit (device 0, payload
 * {@code code << 1 | 1}) and console output (device 1, command 1).
 */
public final class Htif implements Mmu.StoreWatcher {
  private final GuestMemory ram;
  private final long tohost;
  private final long fromhost; // 0 when the image has no fromhost symbol
  private final Uart16550.Output console;
  private final PowerControl power;

  public Htif(
      GuestMemory ram, long tohost, long fromhost, Uart16550.Output console, PowerControl power) {
    this.ram = ram;
    this.tohost = tohost;
    this.fromhost = fromhost;
    this.console = console;
    this.power = power;
    ram.watch(ram.pageIndex(tohost));
  }

  /** Only where the words lie: HTIF keeps no state of its own between commands. */
  public HtifState save() {
    return HtifState.newBuilder().setTohost(tohost).setFromhost(fromhost).build();
  }

  @Override
  public void stored(long physicalAddress, int width) {
    if (physicalAddress + width <= tohost || physicalAddress >= tohost + 8) {
      return;
    }
    long command = ram.readLong(tohost);
    if (command == 0) {
      return;
    }
    int device = (int) (command >>> 56);
    int cmd = (int) (command >>> 48) & 0xff;
    long payload = command & 0xffff_ffff_ffffL;
    ram.writeLong(tohost, 0);
    if (device == 0 && (payload & 1) != 0) {
      power.powerOff((int) (payload >>> 1));
    } else if (device == 1 && cmd == 1) {
      console.write((int) payload & 0xff);
      if (fromhost != 0) {
        ram.writeLong(fromhost, (1L << 56) | (1L << 48));
      }
    } else {
      power.unsupported(
          String.format(
              "HTIF command 0x%016x (device %d, command %d) is not supported: only exit and console"
                  + " output are",
              command, device, cmd));
    }
  }
}
