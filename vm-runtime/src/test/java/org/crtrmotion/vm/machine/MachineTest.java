package org.crtrmotion.vm.machine;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.crtrmotion.vm.cpu.CsrFile;
import org.crtrmotion.vm.loader.BootImage;
import org.crtrmotion.vm.loader.ElfImage;
import org.crtrmotion.vm.time.TimeMode;
import org.junit.jupiter.api.Test;

class MachineTest {
  private static final long BASE = MachineConfig.RAM_BASE;
  private static final long TOHOST = BASE + 0x1000;
  private static final long FROMHOST = BASE + 0x1040;
  private static final int T0 = 5, T1 = 6, T2 = 7, A0 = 10, A1 = 11;

  private final ByteArrayOutputStream console = new ByteArrayOutputStream();

  private static ElfImage program(Map<String, Long> symbols, int... words) {
    ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int w : words) {
      b.putInt(w);
    }
    var text = new BootImage.Segment(BASE, BASE, b.array(), 0x2000, true);
    return new ElfImage(BASE, List.of(text), symbols);
  }

  private Machine boot(ElfImage image) throws BootException {
    return Machine.boot(MachineConfig.defaults().withRamBytes(8L << 20), image, console::write);
  }

  /** t0 = address of the finisher; write value in t1. */
  private static int[] finisher(int value) {
    return new int[] {
      lui(T0, 0x100), lui(T1, value >>> 12), addi(T1, T1, signed12(value)), sw(T1, T0, 0)
    };
  }

  /** Loads a 32-bit unsigned address (such as 0x8000_1000) into rd without sign extension. */
  private static int[] li(int rd, long address) {
    int lo = signed12((int) address);
    int hi = (int) ((address - lo) >>> 12) & 0xfffff;
    return new int[] {lui(rd, hi), addi(rd, rd, lo), slli(rd, rd, 32), srli(rd, rd, 32)};
  }

  private static int signed12(int value) {
    return (value << 20) >> 20;
  }

  private static int[] concat(int[]... parts) {
    return java.util.Arrays.stream(parts).flatMapToInt(java.util.Arrays::stream).toArray();
  }

  @Test
  void finisherPassPowersOffWithExitCodeZero() throws Exception {
    RunResult r = boot(program(Map.of(), finisher(0x5555))).run(0);
    assertEquals(StopReason.POWER_OFF, r.reason());
    assertEquals(0, r.exitCode());
    assertEquals(4, r.instructions());
  }

  @Test
  void finisherFailCarriesTheGuestsCode() throws Exception {
    RunResult r = boot(program(Map.of(), finisher((9 << 16) | 0x3333))).run(0);
    assertEquals(StopReason.POWER_OFF, r.reason());
    assertEquals(9, r.exitCode());
  }

  @Test
  void htifWriteOfOneEndsTheRunWithCodeZero() throws Exception {
    int[] code = concat(li(T0, TOHOST), new int[] {addi(T1, 0, 1), sd(T1, T0, 0), jal(0, 0)});
    RunResult r = boot(program(Map.of("tohost", TOHOST, "fromhost", FROMHOST), code)).run(0);
    assertEquals(StopReason.POWER_OFF, r.reason());
    assertEquals(0, r.exitCode());
  }

  @Test
  void htifExitCodeIsThePayloadShiftedRight() throws Exception {
    int[] code =
        concat(li(T0, TOHOST), new int[] {addi(T1, 0, (21 << 1) | 1), sd(T1, T0, 0), jal(0, 0)});
    RunResult r = boot(program(Map.of("tohost", TOHOST), code)).run(0);
    assertEquals(21, r.exitCode());
  }

  @Test
  void htifConsoleWritesACharacterAndAnswersInFromhost() throws Exception {
    // tohost = (1 << 56) | (1 << 48) | 'A', then spin until fromhost is non-zero, then exit 0.
    int[] code =
        concat(
            li(T0, TOHOST),
            new int[] {
              addi(T1, 0, 0x101),
              slli(T1, T1, 48),
              ori(T1, T1, 'A'),
              sd(T1, T0, 0),
              ld(T2, T0, 0x40),
              beq(T2, 0, -4),
              addi(T1, 0, 1),
              sd(T1, T0, 0),
              jal(0, 0)
            });
    RunResult r = boot(program(Map.of("tohost", TOHOST, "fromhost", FROMHOST), code)).run(1000);
    assertEquals(StopReason.POWER_OFF, r.reason(), r.detail());
    assertEquals("A", console.toString(StandardCharsets.ISO_8859_1));
  }

  @Test
  void unsupportedHtifCommandStopsWithAReason() throws Exception {
    int[] code =
        concat(
            li(T0, TOHOST),
            new int[] {addi(T1, 0, 0x300), slli(T1, T1, 48), sd(T1, T0, 0), jal(0, 0)});
    RunResult r = boot(program(Map.of("tohost", TOHOST), code)).run(1000);
    assertEquals(StopReason.UNSUPPORTED, r.reason());
    assertTrue(r.detail().contains("not supported"), r.detail());
  }

  @Test
  void instructionLimitStopsAtExactlyThatCount() throws Exception {
    RunResult r = boot(program(Map.of(), jal(0, 0))).run(12345);
    assertEquals(StopReason.INSTRUCTION_LIMIT, r.reason());
    assertEquals(12345, r.instructions());
  }

  @Test
  void wfiWithNothingToWakeItHalts() throws Exception {
    RunResult r = boot(program(Map.of(), wfi(), jal(0, -4))).run(0);
    assertEquals(StopReason.HALTED, r.reason());
    assertTrue(r.detail().contains("WFI"), r.detail());
  }

  @Test
  void wfiWithTimerArmedSkipsToTheDeadlineInVirtualTime() throws Exception {
    // mtimecmp = 1,000,000 ticks (0.1 s); enable MTIE; WFI; then power off.
    int[] code =
        concat(
            new int[] {
              lui(T0, 0x2004),
              lui(T1, 0xf4),
              addi(T1, T1, 0x240),
              sd(T1, T0, 0),
              addi(T2, 0, 0x80),
              csrrs(0, CsrFile.MIE, T2),
              wfi()
            },
            finisher(0x5555));
    Machine m = boot(program(Map.of(), code));
    RunResult r = m.run(100_000);
    assertEquals(StopReason.POWER_OFF, r.reason(), r.detail());
    assertTrue(
        m.board().clock.now() >= 1_000_000,
        "time advanced to the deadline: " + m.board().clock.now());
    assertEquals(11, r.instructions());
  }

  @Test
  void resetRequestRestartsTheImageAndKeepsCounting() throws Exception {
    // Every pass retires the four finisher instructions and asks for a reset; the run goes on.
    RunResult r = boot(program(Map.of(), finisher(0x7777))).run(102);
    assertEquals(StopReason.INSTRUCTION_LIMIT, r.reason());
    assertEquals(102, r.instructions());
  }

  @Test
  void trapVectorThatCannotBeFetchedStopsTheMachineInsteadOfSpinning() throws Exception {
    // mtvec is 0 after reset; an illegal instruction sends the hart there, where nothing is mapped.
    RunResult r = boot(program(Map.of(), 0)).run(0);
    assertEquals(StopReason.STUCK, r.reason());
    assertTrue(r.detail().contains("0x0"), r.detail());
  }

  @Test
  void imageOutsideRamIsRefusedWithTheAddresses() {
    var seg = new BootImage.Segment(0x4000_0000L, 0x4000_0000L, new byte[16], 16, true);
    BootException e =
        assertThrows(
            BootException.class, () -> boot(new ElfImage(0x4000_0000L, List.of(seg), Map.of())));
    assertTrue(e.getMessage().contains("0x40000000"), e.getMessage());
  }

  @Test
  void deviceTreeAddressIsInA1AndHartIdInA0() throws Exception {
    Machine m = boot(program(Map.of(), jal(0, 0)));
    assertEquals(0, m.board().hart.x(A0));
    assertEquals(m.fdtAddress(), m.board().hart.x(A1));
    assertEquals(
        0xd00dfeedL,
        Integer.toUnsignedLong(Integer.reverseBytes((int) m.board().ram.readLong(m.fdtAddress()))));
  }

  @Test
  void initrdLiesWhereQemuPutsItAndTheDeviceTreeSaysSo() throws Exception {
    byte[] initrd = "an initial ram disk".getBytes(StandardCharsets.ISO_8859_1);
    var firmware = org.crtrmotion.vm.loader.RawImage.of(new byte[] {0x6f, 0, 0, 0}, BASE); // j .
    var kernel =
        org.crtrmotion.vm.loader.RawImage.of(
            new byte[] {0x6f, 0, 0, 0}, BootPlan.KERNEL_LOAD_ADDRESS);
    Machine m =
        Machine.boot(
            MachineConfig.defaults().withRamBytes(64L << 20),
            new BootPlan.Firmware(firmware, kernel, initrd),
            console::write);
    long at = BootPlan.KERNEL_LOAD_ADDRESS + (32L << 20); // half of 64 MiB
    byte[] inRam = new byte[initrd.length];
    m.board().ram.read(at, inRam, 0, inRam.length);
    assertEquals(
        new String(initrd, StandardCharsets.ISO_8859_1),
        new String(inRam, StandardCharsets.ISO_8859_1));
    byte[] fdt = new byte[4096];
    m.board().ram.read(m.fdtAddress(), fdt, 0, fdt.length);
    assertTrue(new String(fdt, StandardCharsets.ISO_8859_1).contains("linux,initrd-start"));
  }

  @Test
  void hostTimeModeRunsToo() throws Exception {
    Machine m =
        Machine.boot(
            MachineConfig.defaults().withRamBytes(8L << 20).withTimeMode(TimeMode.HOST),
            program(Map.of(), finisher(0x5555)),
            console::write);
    assertEquals(StopReason.POWER_OFF, m.run(0).reason());
  }
}
