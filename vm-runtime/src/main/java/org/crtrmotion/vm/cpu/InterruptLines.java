package org.crtrmotion.vm.cpu;

/** The wires from the interrupt controllers (CLINT, PLIC) into a hart's mip. */
public interface InterruptLines {
  /** Drives the mip bit {@code irq} (one of the {@code Causes.IRQ_*} codes) to a level. */
  void setLine(int irq, boolean level);
}
