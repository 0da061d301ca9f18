package org.crtrmotion.vm.board.fdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import org.crtrmotion.vm.board.fdt.VirtDeviceTree.Spec;
import org.crtrmotion.vm.loader.HostTools;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dtc's opinion of our tree. Skipped where dtc is not installed. */
class VirtDeviceTreeDtcTest {
  /**
   * The one warning dtc 1.6 gives QEMU 7.2's own virt tree; we copy QEMU's interrupt controller
   * node as is. {@link VirtDeviceTreeQemuTest} checks QEMU's tree still earns it.
   */
  static final String QEMU_WARNING =
      "Warning (interrupt_provider): /cpus/cpu@0/interrupt-controller: "
          + "Missing #address-cells in interrupt provider";

  @TempDir Path dir;

  @BeforeEach
  void needsDtc() {
    HostTools.assumeInstalled(HostTools.DTC);
  }

  @Test
  void decompilesWithNoWarningBeyondTheOneQemusOwnTreeGets() throws Exception {
    Spec spec =
        Spec.of(0x8000_0000L, 128L << 20)
            .withBootargs("console=ttyS0")
            .withInitrd(0x8400_0000L, 0x8400_1000L);

    DeviceTreeTools.Decompiled dts = DeviceTreeTools.decompile(dir, VirtDeviceTree.build(spec));

    assertEquals(Set.of(QEMU_WARNING), dts.warnings());
    assertTrue(dts.source().contains("bootargs = \"console=ttyS0\";"), dts.source());
  }
}
