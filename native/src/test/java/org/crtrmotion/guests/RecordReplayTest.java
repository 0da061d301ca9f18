package org.crtrmotion.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.vm.input.InputFeed;
import org.crtrmotion.vm.input.ListFeed;
import org.crtrmotion.vm.input.TraceRecorder;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.crtrmotion.vm.time.TimeMode;
import org.crtrmotion.vm.trace.InputEvent;
import org.crtrmotion.vm.trace.TraceFiles;
import org.crtrmotion.vm.trace.TraceHeader;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A guest run in host time, with every clock input recorded, replays on a fresh machine to the same
 * instruction count, state digest and output digest, without looking at the host clock; a replay
 * cut short goes live and finishes the run.
 */
class RecordReplayTest {
  @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir;

  /** Records a machine's inputs through the trace format: writer, segments, file, reader. */
  private static final class Recording {
    final List<TraceSegment> segments = new ArrayList<>();
    final TraceWriter writer = new TraceWriter(0, segments::add);
    final List<InputEvent> inputs = new ArrayList<>();

    Recording(Machine machine) {
      machine.record(new TraceRecorder(writer));
    }

    /** Closes the trace at the machine's count, writes it to a file and reads it back. */
    void finish(long endIcount, java.nio.file.Path file) throws Exception {
      writer.finish(endIcount);
      TraceFiles.write(file, TraceHeader.virt(128L << 20, TimeMode.HOST, 0), segments);
      inputs.addAll(TraceFiles.read(file).events());
    }
  }

  private static InputFeed feed(List<InputEvent> inputs) {
    return new ListFeed(inputs);
  }

  private static Machine boot(String image, String bootargs, ByteArrayOutputStream console)
      throws Exception {
    return Machine.boot(
        MachineConfig.defaults().withTimeMode(TimeMode.HOST).withBootargs(bootargs),
        ElfLoader.parse(BundledGuests.read(image).orElseThrow()),
        console::write);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "idle.elf, 'period_us=3000 ticks=8'",
    "memory.elf, 'wss=1M rate=64 period_us=2000 ticks=20 report=5'",
    "hello.elf, ''"
  })
  void replayReachesTheRecordedDigestsAtTheRecordedCount(String image, String bootargs)
      throws Exception {
    ByteArrayOutputStream liveConsole = new ByteArrayOutputStream();
    Machine live = boot(image, bootargs, liveConsole);
    Recording recording = new Recording(live);
    long liveStart = System.nanoTime();
    RunResult recorded = live.run(2_000_000_000L);
    double liveSeconds = (System.nanoTime() - liveStart) / 1e9;
    assertEquals(StopReason.POWER_OFF, recorded.reason(), recorded.detail());
    recording.finish(recorded.instructions(), dir.resolve("trace"));

    ByteArrayOutputStream replayConsole = new ByteArrayOutputStream();
    Machine replay = boot(image, bootargs, replayConsole);
    replay.replay(feed(recording.inputs), false);
    long replayStart = System.nanoTime();
    RunResult replayed = replay.run(2_000_000_000L);
    double replaySeconds = (System.nanoTime() - replayStart) / 1e9;

    assertEquals(StopReason.POWER_OFF, replayed.reason(), replayed.detail());
    assertEquals(recorded.instructions(), replayed.instructions());
    assertEquals(live.digest(), replay.digest());
    assertEquals(live.outputDigest(), replay.outputDigest());
    assertEquals(
        "", replayConsole.toString(StandardCharsets.ISO_8859_1), "replay suppresses output");
    System.out.printf(
        "%s %s: %d inputs, live %.3f s, replay %.3f s%n",
        image, bootargs, recording.inputs.size(), liveSeconds, replaySeconds);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"idle.elf, 'period_us=3000 ticks=8'"})
  void replayCutShortGoesLiveAndTheGuestCarriesOn(String image, String bootargs) throws Exception {
    ByteArrayOutputStream liveConsole = new ByteArrayOutputStream();
    Machine live = boot(image, bootargs, liveConsole);
    Recording recording = new Recording(live);
    RunResult recorded = live.run(2_000_000_000L);
    recording.finish(recorded.instructions(), dir.resolve("trace"));
    assertTrue(recording.inputs.size() > 4, "the guest read the clock");

    ByteArrayOutputStream afterLive = new ByteArrayOutputStream();
    Machine replay = boot(image, bootargs, afterLive);
    replay.replay(feed(recording.inputs.subList(0, recording.inputs.size() / 2)), true);
    RunResult r = replay.run(2_000_000_000L);

    assertEquals(StopReason.POWER_OFF, r.reason(), r.detail());
    // idle.elf prints the same lines whatever the timing: the suppressed replayed part and the
    // printed live part together are the recorded output.
    assertEquals(live.outputDigest(), replay.outputDigest());
    String printed = afterLive.toString(StandardCharsets.ISO_8859_1);
    assertTrue(
        liveConsole.toString(StandardCharsets.ISO_8859_1).endsWith(printed) && !printed.isEmpty(),
        printed);
  }

  @org.junit.jupiter.api.Test
  void linuxBootingInHostTimeReplaysToTheSameDigests() throws Exception {
    String image = System.getenv("CRTR_LINUX_IMAGE");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        image != null
            && java.nio.file.Files.isRegularFile(java.nio.file.Path.of(image))
            && java.nio.file.Files.isRegularFile(LinuxBootTest.DEBIAN_OPENSBI),
        "needs CRTR_LINUX_IMAGE and Debian's opensbi (.ci/run provides both)");
    var plan =
        new org.crtrmotion.vm.machine.BootPlan.Firmware(
            org.crtrmotion.vm.loader.RawImage.read(
                LinuxBootTest.DEBIAN_OPENSBI, MachineConfig.RAM_BASE),
            org.crtrmotion.vm.loader.RawImage.read(
                java.nio.file.Path.of(image),
                org.crtrmotion.vm.machine.BootPlan.KERNEL_LOAD_ADDRESS));
    MachineConfig config =
        MachineConfig.defaults()
            .withTimeMode(TimeMode.HOST)
            .withBootargs("console=ttyS0 quiet crtr.workload=idle crtr.ticks=3 crtr.period_ms=5");
    Machine live = Machine.boot(config, plan, b -> {});
    Recording recording = new Recording(live);
    live.run(25_000_000L); // the 8250 driver is up: typed bytes raise its receive interrupt
    live.consoleInput("typed on the host\n".getBytes(StandardCharsets.ISO_8859_1));
    RunResult recorded = live.run(3_000_000_000L);
    assertEquals(StopReason.POWER_OFF, recorded.reason(), recorded.detail());
    recording.finish(recorded.instructions(), dir.resolve("trace"));

    Machine replay = Machine.boot(config, plan, b -> {});
    replay.replay(feed(recording.inputs), false);
    RunResult replayed = replay.run(3_000_000_000L);
    assertEquals(StopReason.POWER_OFF, replayed.reason(), replayed.detail());
    assertEquals(recorded.instructions(), replayed.instructions());
    assertEquals(live.digest(), replay.digest());
    assertEquals(live.outputDigest(), replay.outputDigest());
    System.out.printf(
        "linux idle: %d inputs over %,d instructions%n",
        recording.inputs.size(), recorded.instructions());
  }

  @ParameterizedTest(name = "seed {0}")
  @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3})
  void consoleInputAtRandomMomentsReplaysExactly(long seed) throws Exception {
    java.util.Random random = new java.util.Random(seed);
    String bootargs = "wss=1M rate=64 period_us=500 ticks=60 report=20";
    Machine live = boot("memory.elf", bootargs, new ByteArrayOutputStream());
    Recording recording = new Recording(live);
    RunResult r;
    do {
      byte[] typed = new byte[1 + random.nextInt(6)];
      random.nextBytes(typed);
      live.consoleInput(typed);
      r = live.run(live.instructionsRetired() + 1 + random.nextInt(400_000));
    } while (r.reason() == StopReason.INSTRUCTION_LIMIT);
    assertEquals(StopReason.POWER_OFF, r.reason(), r.detail());
    recording.finish(r.instructions(), dir.resolve("trace"));
    assertTrue(
        recording.inputs.stream()
            .anyMatch(e -> e.kind() == org.crtrmotion.vm.trace.EventKind.CONSOLE_INPUT));

    Machine replay = boot("memory.elf", bootargs, new ByteArrayOutputStream());
    replay.replay(feed(recording.inputs), false);
    RunResult replayed = replay.run(2_000_000_000L);
    assertEquals(StopReason.POWER_OFF, replayed.reason(), replayed.detail());
    assertEquals(r.instructions(), replayed.instructions());
    assertEquals(live.digest(), replay.digest());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"idle.elf, 'period_us=3000 ticks=8'"})
  void aTraceThatDoesNotFitTheGuestIsReportedAsDivergence(String image, String bootargs)
      throws Exception {
    List<InputEvent> wrong = List.of(InputEvent.timeRead(5, 42));
    Machine replay = boot(image, bootargs, new ByteArrayOutputStream());
    replay.replay(feed(wrong), false);
    RunResult r = replay.run(2_000_000_000L);
    assertEquals(StopReason.DIVERGED, r.reason(), r.detail());
    assertTrue(r.detail().contains("diverged"), r.detail());
  }
}
