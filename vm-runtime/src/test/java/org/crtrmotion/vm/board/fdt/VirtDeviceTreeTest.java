package org.crtrmotion.vm.board.fdt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.crtrmotion.vm.board.fdt.FdtReader.Node;
import org.crtrmotion.vm.board.fdt.VirtDeviceTree.Spec;
import org.junit.jupiter.api.Test;

class VirtDeviceTreeTest {
  private static final long RAM_BASE = 0x8000_0000L;
  private static final long MIB = 1L << 20;
  private static final Spec DEFAULT = Spec.of(RAM_BASE, 128 * MIB);

  private static Node tree(Spec spec) {
    return FdtReader.parse(VirtDeviceTree.build(spec));
  }

  private static Node tree() {
    return tree(DEFAULT);
  }

  private static int intcPhandle(Node root) {
    return root.at("cpus/cpu@0/interrupt-controller").u32("phandle");
  }

  @Test
  void rootUsesTwoCellAddressesAndQemusVirtIdentity() {
    Node root = tree();

    assertEquals(2, root.u32("#address-cells"));
    assertEquals(2, root.u32("#size-cells"));
    assertEquals("riscv-virtio", root.string("compatible"));
    assertEquals("riscv-virtio,qemu", root.string("model"));
  }

  @Test
  void oneHartRunsRv64gcWithSv39AtTenMegahertzTimebase() {
    Node cpus = tree().at("cpus");
    Node cpu = cpus.at("cpu@0");

    assertEquals(10_000_000, cpus.u32("timebase-frequency"));
    assertEquals(1, cpus.u32("#address-cells"));
    assertEquals(0, cpus.u32("#size-cells"));
    assertEquals(List.of("cpu@0", "cpu-map"), cpus.children().stream().map(Node::name).toList());
    assertEquals("rv64imafdc_zicsr_zifencei", cpu.string("riscv,isa"));
    assertEquals("riscv,sv39", cpu.string("mmu-type"));
    assertEquals("okay", cpu.string("status"));
    assertEquals("cpu", cpu.string("device_type"));
    assertEquals("riscv", cpu.string("compatible"));
    assertEquals(0, cpu.u32("reg"));
  }

  @Test
  void hartHasItsOwnInterruptControllerWithAPhandle() {
    Node intc = tree().at("cpus/cpu@0/interrupt-controller");

    assertEquals("riscv,cpu-intc", intc.string("compatible"));
    assertEquals(1, intc.u32("#interrupt-cells"));
    assertTrue(intc.has("interrupt-controller"));
    assertTrue(intc.u32("phandle") > 0);
  }

  @Test
  void cpuMapPointsAtTheOnlyHart() {
    Node root = tree();

    assertEquals(
        root.at("cpus/cpu@0").u32("phandle"), root.at("cpus/cpu-map/cluster0/core0").u32("cpu"));
  }

  @Test
  void clintRaisesMachineSoftwareAndTimerInterruptsOnTheHart() {
    Node root = tree();
    Node clint = root.at("soc/clint@2000000");
    int intc = intcPhandle(root);

    assertEquals(List.of("sifive,clint0", "riscv,clint0"), clint.strings("compatible"));
    assertArrayEquals(new int[] {0, 0x0200_0000, 0, 0x1_0000}, clint.cells("reg"));
    assertArrayEquals(new int[] {intc, 3, intc, 7}, clint.cells("interrupts-extended"));
  }

  @Test
  void plicRoutesToMachineAndSupervisorExternalInterruptsOfTheHart() {
    Node root = tree();
    Node plic = root.at("soc/plic@c000000");
    int intc = intcPhandle(root);

    assertEquals(List.of("sifive,plic-1.0.0", "riscv,plic0"), plic.strings("compatible"));
    assertArrayEquals(new int[] {0, 0x0c00_0000, 0, 0x60_0000}, plic.cells("reg"));
    assertArrayEquals(new int[] {intc, 11, intc, 9}, plic.cells("interrupts-extended"));
    assertEquals(96, plic.u32("riscv,ndev"), "QEMU 7.2's value");
    assertEquals(1, plic.u32("#interrupt-cells"));
    assertEquals(0, plic.u32("#address-cells"));
    assertTrue(plic.has("interrupt-controller"));
    assertTrue(plic.u32("phandle") > 0);
  }

  @Test
  void serialPortIsAn16550aOnPlicInterrupt10() {
    Node root = tree();
    Node serial = root.at("soc/serial@10000000");

    assertEquals("ns16550a", serial.string("compatible"));
    assertArrayEquals(new int[] {0, 0x1000_0000, 0, 0x100}, serial.cells("reg"));
    assertEquals(0x384000, serial.u32("clock-frequency"));
    assertEquals(10, serial.u32("interrupts"));
    assertEquals(root.at("soc/plic@c000000").u32("phandle"), serial.u32("interrupt-parent"));
  }

  @Test
  void eightVirtioSlotsTakePlicInterruptsOneToEight() {
    Node root = tree();
    int plic = root.at("soc/plic@c000000").u32("phandle");

    for (int slot = 0; slot < 8; slot++) {
      long base = 0x1000_1000L + slot * 0x1000L;
      Node virtio = root.at("soc/virtio_mmio@" + Long.toHexString(base));
      assertEquals("virtio,mmio", virtio.string("compatible"));
      assertArrayEquals(new int[] {0, (int) base, 0, 0x1000}, virtio.cells("reg"));
      assertEquals(slot + 1, virtio.u32("interrupts"));
      assertEquals(plic, virtio.u32("interrupt-parent"));
    }
    assertEquals(
        8,
        root.at("soc").children().stream()
            .filter(n -> n.name().startsWith("virtio_mmio@"))
            .count());
  }

  @Test
  void socIsASimpleBusWithIdentityRanges() {
    Node soc = tree().at("soc");

    assertEquals("simple-bus", soc.string("compatible"));
    assertEquals(0, soc.bytes("ranges").length);
    assertEquals(2, soc.u32("#address-cells"));
    assertEquals(2, soc.u32("#size-cells"));
  }

  @Test
  void finisherIsASysconThatPowerOffAndRebootWriteTo() {
    Node root = tree();
    Node test = root.at("soc/test@100000");
    Node poweroff = root.at("poweroff");
    Node reboot = root.at("reboot");

    assertEquals(List.of("sifive,test1", "sifive,test0", "syscon"), test.strings("compatible"));
    assertArrayEquals(new int[] {0, 0x10_0000, 0, 0x1000}, test.cells("reg"));
    assertEquals("syscon-poweroff", poweroff.string("compatible"));
    assertEquals(0x5555, poweroff.u32("value"));
    assertEquals(0, poweroff.u32("offset"));
    assertEquals(test.u32("phandle"), poweroff.u32("regmap"));
    assertEquals("syscon-reboot", reboot.string("compatible"));
    assertEquals(0x7777, reboot.u32("value"));
    assertEquals(0, reboot.u32("offset"));
    assertEquals(test.u32("phandle"), reboot.u32("regmap"));
  }

  @Test
  void memoryNodeIsNamedAndSizedFromTheSpec() {
    Node small = tree().at("memory@80000000");
    Node large = tree(Spec.of(RAM_BASE, 4096 * MIB)).at("memory@80000000");
    Node elsewhere = tree(Spec.of(0x1_0000_0000L, 64 * MIB)).at("memory@100000000");

    assertEquals("memory", small.string("device_type"));
    assertArrayEquals(new int[] {0, 0x8000_0000, 0, 0x0800_0000}, small.cells("reg"));
    assertArrayEquals(new int[] {0, 0x8000_0000, 1, 0}, large.cells("reg"));
    assertArrayEquals(new int[] {1, 0, 0, 0x0400_0000}, elsewhere.cells("reg"));
  }

  @Test
  void consoleIsTheSerialPort() {
    Node root = tree();
    String stdout = root.at("chosen").string("stdout-path");

    assertEquals("/soc/serial@10000000", stdout);
    root.at(stdout); // the path resolves
  }

  @Test
  void bootargsAppearOnlyWhenGiven() {
    assertFalse(tree().at("chosen").has("bootargs"));
    assertEquals(
        "console=ttyS0 earlycon",
        tree(DEFAULT.withBootargs("console=ttyS0 earlycon")).at("chosen").string("bootargs"));
  }

  @Test
  void emptyBootargsAreStillWrittenBecauseTheyWereGiven() {
    assertEquals("", tree(DEFAULT.withBootargs("")).at("chosen").string("bootargs"));
  }

  @Test
  void initrdAppearsOnlyWhenGiven() {
    Node chosen = tree().at("chosen");

    assertFalse(chosen.has("linux,initrd-start"));
    assertFalse(chosen.has("linux,initrd-end"));
  }

  @Test
  void initrdBelowFourGibibytesIsOneCellAsQemuWritesIt() {
    Node chosen = tree(DEFAULT.withInitrd(0x8400_0000L, 0x8400_0bb8L)).at("chosen");

    assertEquals(0x8400_0000, chosen.u32("linux,initrd-start"));
    assertEquals(0x8400_0bb8, chosen.u32("linux,initrd-end"));
  }

  @Test
  void initrdAboveFourGibibytesIsTwoCellsRatherThanTruncated() {
    Spec big = Spec.of(RAM_BASE, 8192 * MIB).withInitrd(0x1_2000_0000L, 0x1_2000_1000L);
    Node chosen = tree(big).at("chosen");

    assertArrayEquals(new int[] {1, 0x2000_0000}, chosen.cells("linux,initrd-start"));
    assertArrayEquals(new int[] {1, 0x2000_1000}, chosen.cells("linux,initrd-end"));
  }

  @Test
  void everyPhandleIsUniqueAndEveryReferenceResolves() {
    Node root = tree();
    Map<Integer, String> owners = new HashMap<>();
    List<Integer> references = new ArrayList<>();
    root.walk(
        node -> {
          if (node.has("phandle")) {
            assertEquals(null, owners.put(node.u32("phandle"), node.name()), "duplicate phandle");
          }
          for (String p : List.of("interrupt-parent", "regmap", "cpu")) {
            if (node.has(p)) {
              references.add(node.u32(p));
            }
          }
          if (node.has("interrupts-extended")) {
            int[] cells = node.cells("interrupts-extended");
            for (int i = 0; i < cells.length; i += 2) {
              references.add(cells[i]);
            }
          }
        });

    assertEquals(
        Map.of(1, "cpu@0", 2, "interrupt-controller", 3, "plic@c000000", 4, "test@100000"),
        owners,
        "QEMU 7.2's phandle numbering");
    assertTrue(owners.keySet().containsAll(references), () -> references + " vs " + owners);
  }

  @Test
  void leavesOutDevicesWeDoNotEmulateAndTheRandomSeed() {
    Node root = tree(DEFAULT.withBootargs("x"));
    List<String> names = new ArrayList<>();
    root.walk(node -> names.add(node.name()));

    for (String absent : List.of("rtc", "pci", "flash", "fw-cfg", "pmu", "platform-bus")) {
      assertTrue(names.stream().noneMatch(n -> n.startsWith(absent)), absent + " in " + names);
    }
    assertFalse(root.at("chosen").has("rng-seed"));
  }

  @Test
  void sameSpecGivesTheSameBytes() {
    Spec spec = DEFAULT.withBootargs("console=ttyS0").withInitrd(0x8400_0000L, 0x8500_0000L);

    assertArrayEquals(VirtDeviceTree.build(spec), VirtDeviceTree.build(spec));
  }

  @Test
  void specRefusesRamThatIsEmptyOrWraps() {
    assertThrows(IllegalArgumentException.class, () -> Spec.of(RAM_BASE, 0));
    assertThrows(IllegalArgumentException.class, () -> Spec.of(0xffff_ffff_0000_0000L, 1L << 33));
  }

  @Test
  void specRefusesHalfAnInitrdOrOneOutsideRam() {
    assertThrows(IllegalArgumentException.class, () -> DEFAULT.withInitrd(0x8400_0000L, 0));
    assertThrows(
        IllegalArgumentException.class, () -> DEFAULT.withInitrd(0x8500_0000L, 0x8400_0000L));
    assertThrows(
        IllegalArgumentException.class, () -> DEFAULT.withInitrd(0x8700_0000L, 0x8900_0000L));
    assertThrows(IllegalArgumentException.class, () -> DEFAULT.withInitrd(0x1000L, 0x2000L));
  }
}
