package org.crtrmotion.vm.board.fdt;

/**
 * The device tree of our {@code virt} board: the tree QEMU 7.2 generates for {@code -M virt -smp 1
 * -cpu rv64,h=false,zba=false,zbb=false,zbc=false,zbs=false,sstc=false,Zihintpause=false}, less the
 * devices crtr does not emulate (PMU, RTC, PCIe, flash, fw-cfg, platform bus) and the random {@code
 * rng-seed} (a replayed guest must see the same bytes every time), with {@code mmu-type}
 * "riscv,sv39" because our MMU stops at Sv39 (QEMU says sv48).
 *
 * <p>Nodes, properties and phandles come in QEMU's blob order and numbering, so {@code dtc -O dts}
 * of both differ only by what is left out above.
 */
public final class VirtDeviceTree {
  static final String ISA = "rv64imafdc_zicsr_zifencei";
  static final String MMU_TYPE = "riscv,sv39";
  static final int TIMEBASE_HZ = 10_000_000;
  static final int UART_CLOCK_HZ = 0x384000;
  // QEMU 7.2 writes its PLIC source count, 96, source 0 (reserved) included.
  static final int PLIC_NDEV = 96;
  static final long CLINT_BASE = 0x0200_0000L;
  static final long CLINT_SIZE = 0x1_0000L;
  static final long PLIC_BASE = 0x0c00_0000L;
  // QEMU sizes the PLIC window for its maximum of 512 harts, whatever -smp says.
  static final long PLIC_SIZE = 0x60_0000L;
  static final long UART_BASE = 0x1000_0000L;
  static final long UART_SIZE = 0x100L;
  static final int UART_IRQ = 10;
  static final long VIRTIO_BASE = 0x1000_1000L;
  static final long VIRTIO_SIZE = 0x1000L;
  static final int VIRTIO_COUNT = 8;
  static final int VIRTIO_FIRST_IRQ = 1;
  static final long TEST_BASE = 0x10_0000L;
  static final long TEST_SIZE = 0x1000L;
  static final int FINISHER_PASS = 0x5555;
  static final int FINISHER_RESET = 0x7777;
  // Local interrupt numbers on the hart's interrupt controller (mip bits).
  static final int IRQ_M_SOFT = 3;
  static final int IRQ_M_TIMER = 7;
  static final int IRQ_S_EXT = 9;
  static final int IRQ_M_EXT = 11;

  private static final long MIB = 1L << 20;
  private static final long THREE_GIB = 3L << 30;
  private static final long FDT_ALIGNMENT = 2 * MIB;
  // QEMU 7.2 measures its 1 MiB working buffer, not the packed blob, when placing the tree.
  private static final long QEMU_FDT_BUFFER_BYTES = MIB;

  private VirtDeviceTree() {}

  /**
   * What varies between boots.
   *
   * @param bootargs the kernel command line, or null for none
   * @param initrdStart first byte of the initial RAM disk; 0 with {@code initrdEnd} 0 for none
   * @param initrdEnd first byte after it
   */
  public record Spec(
      long ramBase, long ramSize, String bootargs, long initrdStart, long initrdEnd) {

    public Spec {
      if (ramSize <= 0) {
        throw new IllegalArgumentException(
            "RAM size must be positive, not 0x" + Long.toHexString(ramSize));
      }
      long ramEnd = ramBase + ramSize;
      if (Long.compareUnsigned(ramEnd, ramBase) < 0) {
        throw new IllegalArgumentException(
            "RAM at 0x"
                + Long.toHexString(ramBase)
                + " of 0x"
                + Long.toHexString(ramSize)
                + " bytes wraps past the end of the address space");
      }
      if (bootargs != null && bootargs.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("bootargs contain a NUL character");
      }
      if ((initrdStart == 0) != (initrdEnd == 0)) {
        throw new IllegalArgumentException("give both initrd start and end, or neither (0, 0)");
      }
      if (initrdStart != 0
          && !(Long.compareUnsigned(ramBase, initrdStart) <= 0
              && Long.compareUnsigned(initrdStart, initrdEnd) < 0
              && Long.compareUnsigned(initrdEnd, ramEnd) <= 0)) {
        throw new IllegalArgumentException(
            "initrd [0x"
                + Long.toHexString(initrdStart)
                + ", 0x"
                + Long.toHexString(initrdEnd)
                + ") is empty or not inside RAM [0x"
                + Long.toHexString(ramBase)
                + ", 0x"
                + Long.toHexString(ramEnd)
                + ")");
      }
    }

    /** RAM only: no command line, no initrd. */
    public static Spec of(long ramBase, long ramSize) {
      return new Spec(ramBase, ramSize, null, 0, 0);
    }

    public Spec withBootargs(String commandLine) {
      return new Spec(ramBase, ramSize, commandLine, initrdStart, initrdEnd);
    }

    public Spec withInitrd(long start, long end) {
      return new Spec(ramBase, ramSize, bootargs, start, end);
    }

    boolean hasInitrd() {
      return initrdStart != 0;
    }
  }

  public static byte[] build(Spec spec) {
    FdtWriter fdt = new FdtWriter();
    Phandles phandles =
        new Phandles(
            fdt.allocatePhandle(),
            fdt.allocatePhandle(),
            fdt.allocatePhandle(),
            fdt.allocatePhandle());
    fdt.beginNode("")
        .propertyU32("#address-cells", 2)
        .propertyU32("#size-cells", 2)
        .propertyString("compatible", "riscv-virtio")
        .propertyString("model", "riscv-virtio,qemu");
    chosen(fdt, spec);
    syscon(fdt, "poweroff", "syscon-poweroff", FINISHER_PASS, phandles.test());
    syscon(fdt, "reboot", "syscon-reboot", FINISHER_RESET, phandles.test());
    fdt.beginNode("memory@" + Long.toHexString(spec.ramBase()))
        .propertyString("device_type", "memory")
        .propertyU64("reg", spec.ramBase(), spec.ramSize())
        .endNode();
    cpus(fdt, phandles);
    VirtSocNodes.write(fdt, phandles);
    return fdt.endNode().finish();
  }

  /**
   * Where QEMU 7.2's {@code riscv_load_fdt} puts the tree, so guests find it where they would under
   * QEMU: below the end of RAM or 3 GiB, whichever is lower (for 32-bit guests), leaving room for
   * the blob, aligned down to 2 MiB. QEMU counts its whole 1 MiB working buffer as the blob; so
   * does this for blobs up to 1 MiB, which is why, for example, RAM ending 512 KiB past a 2 MiB
   * boundary puts the tree 2 MiB lower than the blob alone would.
   */
  public static long fdtAddress(long ramBase, long ramSize, long blobSizeBytes) {
    long ramEnd = ramBase + ramSize;
    long top =
        Long.compareUnsigned(ramBase, THREE_GIB) < 0 && Long.compareUnsigned(ramEnd, THREE_GIB) > 0
            ? THREE_GIB
            : ramEnd;
    long reserved = Math.max(blobSizeBytes, QEMU_FDT_BUFFER_BYTES);
    if (Long.compareUnsigned(top - ramBase, reserved) < 0) {
      throw new IllegalArgumentException(
          "RAM [0x"
              + Long.toHexString(ramBase)
              + ", 0x"
              + Long.toHexString(ramEnd)
              + ") has no room below 0x"
              + Long.toHexString(top)
              + " for a device tree of 0x"
              + Long.toHexString(reserved)
              + " bytes");
    }
    long address = (top - reserved) & -FDT_ALIGNMENT;
    if (Long.compareUnsigned(address, ramBase) < 0) {
      throw new IllegalArgumentException(
          "RAM at 0x"
              + Long.toHexString(ramBase)
              + " has no 2 MiB-aligned room for a device tree of 0x"
              + Long.toHexString(reserved)
              + " bytes");
    }
    return address;
  }

  /**
   * phandle values in QEMU's allocation order: cpu 1, its interrupt controller 2, PLIC 3, test 4.
   */
  record Phandles(int cpu, int cpuInterruptController, int plic, int test) {}

  private static void chosen(FdtWriter fdt, Spec spec) {
    fdt.beginNode("chosen");
    if (spec.hasInitrd()) {
      address(fdt, "linux,initrd-end", spec.initrdEnd());
      address(fdt, "linux,initrd-start", spec.initrdStart());
    }
    if (spec.bootargs() != null) {
      fdt.propertyString("bootargs", spec.bootargs());
    }
    fdt.propertyString("stdout-path", "/soc/serial@" + Long.toHexString(UART_BASE));
    fdt.endNode();
  }

  // QEMU 7.2 writes one cell, truncating above 4 GiB; Linux reads one or two, so use two there.
  private static void address(FdtWriter fdt, String name, long value) {
    if (Long.compareUnsigned(value, 0xffff_ffffL) <= 0) {
      fdt.propertyU32(name, (int) value);
    } else {
      fdt.propertyU64(name, value);
    }
  }

  private static void syscon(FdtWriter fdt, String name, String compatible, int value, int regmap) {
    fdt.beginNode(name)
        .propertyU32("value", value)
        .propertyU32("offset", 0)
        .propertyU32("regmap", regmap)
        .propertyString("compatible", compatible)
        .endNode();
  }

  private static void cpus(FdtWriter fdt, Phandles phandles) {
    fdt.beginNode("cpus")
        .propertyU32("#address-cells", 1)
        .propertyU32("#size-cells", 0)
        .propertyU32("timebase-frequency", TIMEBASE_HZ);
    fdt.beginNode("cpu@0")
        .propertyPhandle(phandles.cpu())
        .propertyString("device_type", "cpu")
        .propertyU32("reg", 0)
        .propertyString("status", "okay")
        .propertyString("compatible", "riscv")
        .propertyString("riscv,isa", ISA)
        .propertyString("mmu-type", MMU_TYPE);
    // QEMU 7.2 leaves out #address-cells here; dtc warns about it for QEMU's tree too.
    fdt.beginNode("interrupt-controller")
        .propertyU32("#interrupt-cells", 1)
        .propertyEmpty("interrupt-controller")
        .propertyString("compatible", "riscv,cpu-intc")
        .propertyPhandle(phandles.cpuInterruptController())
        .endNode();
    fdt.endNode();
    fdt.beginNode("cpu-map")
        .beginNode("cluster0")
        .beginNode("core0")
        .propertyU32("cpu", phandles.cpu())
        .endNode()
        .endNode()
        .endNode();
    fdt.endNode();
  }
}
