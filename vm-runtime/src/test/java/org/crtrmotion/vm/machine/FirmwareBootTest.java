package org.crtrmotion.vm.machine;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.crtrmotion.vm.loader.RawImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's OpenSBI boots on the machine as on QEMU: it finds the board in the device tree and the
 * next stage in the fw_dynamic info, starts an S-mode payload, serves its SBI calls, and powers the
 * board off through the finisher when the payload asks for a system reset.
 */
class FirmwareBootTest {
  private static final int A0 = 10, A1 = 11, A6 = 16, A7 = 17;

  /** S-mode payload: legacy SBI console putchar of "ok\n", then SBI SRST shutdown. */
  private static byte[] payload() {
    int[] words = {
      addi(A7, 0, 1),
      addi(A0, 0, 'o'),
      ecall(),
      addi(A0, 0, 'k'),
      ecall(),
      addi(A0, 0, '\n'),
      ecall(),
      lui(A7, 0x53525),
      addiw(A7, A7, 0x354),
      addi(A6, 0, 0),
      addi(A0, 0, 0),
      addi(A1, 0, 0),
      ecall(),
      jal(0, 0)
    };
    ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int w : words) {
      b.putInt(w);
    }
    return b.array();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin",
        "/usr/share/qemu/opensbi-riscv64-generic-fw_dynamic.bin"
      })
  void openSbiStartsThePayloadInSModeAndPowersOffOnSystemReset(String firmware) throws Exception {
    Path fw = Path.of(firmware);
    assumeTrue(
        Files.exists(fw),
        firmware + " is not installed (.ci/run installs opensbi and qemu-system-misc)");
    BootPlan plan =
        new BootPlan.Firmware(
            RawImage.read(fw, MachineConfig.RAM_BASE),
            RawImage.of(payload(), BootPlan.KERNEL_LOAD_ADDRESS));
    ByteArrayOutputStream console = new ByteArrayOutputStream();

    RunResult r = Machine.boot(MachineConfig.defaults(), plan, console::write).run(100_000_000L);

    String out = console.toString(StandardCharsets.ISO_8859_1);
    assertEquals(StopReason.POWER_OFF, r.reason(), r.detail() + "\n" + out);
    assertEquals(0, r.exitCode());
    assertTrue(out.contains("OpenSBI v1.1"), out);
    assertTrue(out.contains("Domain0 Next Address      : 0x0000000080200000"), out);
    assertTrue(out.contains("Domain0 Next Mode         : S-mode"), out);
    assertTrue(out.endsWith("ok\r\n"), out); // OpenSBI turns \n into \r\n
  }
}
