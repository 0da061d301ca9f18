package org.crtrmotion.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bundled guest prints the same bytes and exits with the same code on crtr (virtual time) as
 * on QEMU's virt board, the reference machine.
 */
class GuestDifferentialTest {
  private static final long RAM = 128L << 20;

  @TempDir static Path images;

  @BeforeAll
  static void requireQemu() {
    assumeTrue(
        QemuReference.available(),
        "qemu-system-riscv64 is not installed (.ci/run installs qemu-system-misc)");
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("hello.elf", null),
        Arguments.of("hello.elf", "exit=7"),
        Arguments.of("hello.elf", "trap=1"),
        Arguments.of("cpu.elf", null),
        Arguments.of("cpu.elf", "rounds=3"),
        Arguments.of("memory.elf", null),
        Arguments.of("memory.elf", "wss=16M rate=512 period_us=500 ticks=40 report=10"),
        Arguments.of("idle.elf", null),
        Arguments.of("idle.elf", "period_us=1500 ticks=25"),
        Arguments.of("idle.elf", "unknown=1 ticks=2"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void guestBehavesAsOnQemu(String name, String bootargs) throws Exception {
    byte[] image = BundledGuests.read(name).orElseThrow();
    Path file = images.resolve(name);
    if (!Files.exists(file)) {
      Files.write(file, image);
    }
    QemuReference.Outcome expected = QemuReference.run(file, RAM, bootargs);

    ByteArrayOutputStream console = new ByteArrayOutputStream();
    Machine machine =
        Machine.boot(
            MachineConfig.defaults().withRamBytes(RAM).withBootargs(bootargs),
            ElfLoader.parse(image),
            console::write);
    RunResult result = machine.run(2_000_000_000L);

    assertEquals(StopReason.POWER_OFF, result.reason(), result.detail());
    assertEquals(expected.output(), console.toString(StandardCharsets.ISO_8859_1));
    assertEquals(expected.exitCode(), result.exitCode());
  }
}
