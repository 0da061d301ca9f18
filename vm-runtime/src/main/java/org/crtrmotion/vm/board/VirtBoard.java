package org.crtrmotion.vm.board;

import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.vm.board.virtio.PacketOutput;
import org.crtrmotion.vm.board.virtio.VirtioAttachments;
import org.crtrmotion.vm.board.virtio.VirtioMmio;
import org.crtrmotion.vm.board.virtio.VirtioNet;
import org.crtrmotion.vm.bus.MmioBus;
import org.crtrmotion.vm.cpu.Hart;
import org.crtrmotion.vm.cpu.Interpreter;
import org.crtrmotion.vm.cpu.Mmu;
import org.crtrmotion.vm.input.TraceClock;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.state.StateHasher;
import org.crtrmotion.vm.time.GuestClock;
import org.crtrmotion.vm.time.HostClock;
import org.crtrmotion.vm.time.TimeMode;
import org.crtrmotion.vm.time.VirtualClock;

/** One hart, its RAM and the devices of QEMU's virt board, wired together. */
public final class VirtBoard {
  public final GuestMemory ram;
  public final Hart hart = new Hart();
  public final MmioBus bus = new MmioBus();

  /** Guest time, through the boundary that records and replays it. */
  public final TraceClock clock;

  public final Clint clint;
  public final Plic plic;
  public final Uart16550 uart;
  public final SifiveTest test;
  public final Mmu mmu;
  public final Interpreter interpreter;

  /** The occupied virtio-mmio slots, in slot order; the others hold an {@link EmptyVirtioSlot}. */
  public final List<VirtioMmio> virtio = new ArrayList<>();

  public VirtBoard(
      long ramBase,
      long ramBytes,
      TimeMode timeMode,
      long instructionsPerTick,
      Uart16550.Output console,
      PowerControl power) {
    this(
        ramBase,
        ramBytes,
        timeMode,
        instructionsPerTick,
        console,
        power,
        VirtioAttachments.none(),
        (device, frame) -> {});
  }

  public VirtBoard(
      long ramBase,
      long ramBytes,
      TimeMode timeMode,
      long instructionsPerTick,
      Uart16550.Output console,
      PowerControl power,
      VirtioAttachments devices,
      PacketOutput packets) {
    ram = new GuestMemory(ramBase, ramBytes);
    GuestClock source =
        timeMode == TimeMode.VIRTUAL
            ? new VirtualClock(hart::instret, instructionsPerTick)
            : new HostClock();
    clock = new TraceClock(source, hart::instret, hart::traps);
    hart.csrs().setClock(clock);
    clint = new Clint(clock, hart);
    plic = new Plic(hart);
    uart = new Uart16550(console, plic);
    test = new SifiveTest(power);
    bus.map(SifiveTest.BASE, test);
    bus.map(Clint.BASE, clint);
    bus.map(Plic.BASE, plic);
    bus.map(Uart16550.BASE, uart);
    for (int i = 0; i < EmptyVirtioSlot.COUNT; i++) {
      VirtioAttachments.Attachment a = devices.inSlot(i);
      if (a == null) {
        bus.map(VirtioMmio.base(i), new EmptyVirtioSlot(i));
      } else {
        VirtioMmio slot = new VirtioMmio(i, ram, plic, VirtioAttachments.deviceFor(a, packets));
        virtio.add(slot);
        if (a instanceof VirtioAttachments.Nic nic) {
          clock.connectPackets(i, (VirtioNet) slot.device());
          nic.backend().onArrival(clock::signalArrival);
        }
        bus.map(VirtioMmio.base(i), slot);
      }
    }
    mmu = new Mmu(hart, ram, bus);
    interpreter = new Interpreter(hart, mmu, clint);
    clock.connectConsole(uart::receive);
    interpreter.setBetweenInstructions(clock::deliverBetweenInstructions);
  }

  /**
   * The digest of all architectural state: the hart, the devices and every non-zero page. Call it
   * on a paused machine (between runs).
   */
  public StateDigest digest() {
    StateHasher h = new StateHasher();
    hart.digestInto(h);
    clint.digestInto(h);
    plic.digestInto(h);
    uart.digestInto(h);
    for (VirtioMmio slot : virtio) {
      slot.digestInto(h);
    }
    ram.digestInto(h);
    return h.digest();
  }
}
