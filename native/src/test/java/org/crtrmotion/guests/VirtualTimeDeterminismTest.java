package org.crtrmotion.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * In virtual time the same guest does exactly the same thing on every run: output, count, state.
 */
class VirtualTimeDeterminismTest {
  private record Run(String output, long instructions, long pc, long[] registers) {}

  private static Run run(String image, String bootargs, long limit) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Machine m =
        Machine.boot(
            MachineConfig.defaults().withBootargs(bootargs),
            ElfLoader.parse(BundledGuests.read(image).orElseThrow()),
            out::write);
    RunResult r = m.run(limit);
    long[] regs = new long[32];
    for (int i = 0; i < 32; i++) {
      regs[i] = m.board().hart.x(i);
    }
    return new Run(
        out.toString(java.nio.charset.StandardCharsets.ISO_8859_1),
        r.instructions(),
        m.board().hart.pc(),
        regs);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "idle.elf, 'period_us=700 ticks=0', 3000000",
    "memory.elf, 'ticks=0 rate=64', 7000000",
    "cpu.elf, 'rounds=1', 100000000"
  })
  void twoRunsAreIdenticalToTheInstruction(String image, String bootargs, long limit)
      throws Exception {
    Run a = run(image, bootargs, limit);
    Run b = run(image, bootargs, limit);
    assertEquals(a.output(), b.output());
    assertEquals(a.instructions(), b.instructions());
    assertEquals(a.pc(), b.pc());
    assertEquals(
        java.util.Arrays.toString(a.registers()), java.util.Arrays.toString(b.registers()));
  }
}
