package org.crtrmotion.vm.board.fdt;

import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.CLINT_BASE;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.CLINT_SIZE;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.IRQ_M_EXT;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.IRQ_M_SOFT;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.IRQ_M_TIMER;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.IRQ_S_EXT;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.PLIC_BASE;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.PLIC_NDEV;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.PLIC_SIZE;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.TEST_BASE;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.TEST_SIZE;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.UART_BASE;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.UART_CLOCK_HZ;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.UART_IRQ;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.UART_SIZE;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.VIRTIO_BASE;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.VIRTIO_COUNT;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.VIRTIO_FIRST_IRQ;
import static org.crtrmotion.vm.board.fdt.VirtDeviceTree.VIRTIO_SIZE;

import org.crtrmotion.vm.board.fdt.VirtDeviceTree.Phandles;

/** The /soc node and the devices on it, in QEMU 7.2's blob order. */
final class VirtSocNodes {

  private VirtSocNodes() {}

  static void write(FdtWriter fdt, Phandles phandles) {
    fdt.beginNode("soc")
        .propertyU32("#address-cells", 2)
        .propertyU32("#size-cells", 2)
        .propertyString("compatible", "simple-bus")
        .propertyEmpty("ranges");
    serial(fdt, phandles.plic());
    test(fdt, phandles.test());
    // QEMU creates the slots upwards and libfdt puts each new node first: the blob runs downwards.
    for (int slot = VIRTIO_COUNT - 1; slot >= 0; slot--) {
      virtio(fdt, slot, phandles.plic());
    }
    plic(fdt, phandles);
    clint(fdt, phandles.cpuInterruptController());
    fdt.endNode();
  }

  private static void serial(FdtWriter fdt, int plic) {
    fdt.beginNode("serial@" + Long.toHexString(UART_BASE))
        .propertyU32("interrupts", UART_IRQ)
        .propertyU32("interrupt-parent", plic)
        .propertyU32("clock-frequency", UART_CLOCK_HZ)
        .propertyU64("reg", UART_BASE, UART_SIZE)
        .propertyString("compatible", "ns16550a")
        .endNode();
  }

  private static void test(FdtWriter fdt, int phandle) {
    fdt.beginNode("test@" + Long.toHexString(TEST_BASE))
        .propertyPhandle(phandle)
        .propertyU64("reg", TEST_BASE, TEST_SIZE)
        .propertyStrings("compatible", "sifive,test1", "sifive,test0", "syscon")
        .endNode();
  }

  private static void virtio(FdtWriter fdt, int slot, int plic) {
    long base = VIRTIO_BASE + slot * VIRTIO_SIZE;
    fdt.beginNode("virtio_mmio@" + Long.toHexString(base))
        .propertyU32("interrupts", VIRTIO_FIRST_IRQ + slot)
        .propertyU32("interrupt-parent", plic)
        .propertyU64("reg", base, VIRTIO_SIZE)
        .propertyString("compatible", "virtio,mmio")
        .endNode();
  }

  private static void plic(FdtWriter fdt, Phandles phandles) {
    int intc = phandles.cpuInterruptController();
    fdt.beginNode("plic@" + Long.toHexString(PLIC_BASE))
        .propertyPhandle(phandles.plic())
        .propertyU32("riscv,ndev", PLIC_NDEV)
        .propertyU64("reg", PLIC_BASE, PLIC_SIZE)
        // Context 0 is the hart's M-mode external interrupt, context 1 its S-mode one.
        .propertyU32("interrupts-extended", intc, IRQ_M_EXT, intc, IRQ_S_EXT)
        .propertyEmpty("interrupt-controller")
        .propertyStrings("compatible", "sifive,plic-1.0.0", "riscv,plic0")
        .propertyU32("#address-cells", 0)
        .propertyU32("#interrupt-cells", 1)
        .endNode();
  }

  private static void clint(FdtWriter fdt, int intc) {
    fdt.beginNode("clint@" + Long.toHexString(CLINT_BASE))
        .propertyU32("interrupts-extended", intc, IRQ_M_SOFT, intc, IRQ_M_TIMER)
        .propertyU64("reg", CLINT_BASE, CLINT_SIZE)
        .propertyStrings("compatible", "sifive,clint0", "riscv,clint0")
        .endNode();
  }
}
