package org.crtrmotion.guests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.input.ListFeed;
import org.crtrmotion.vm.input.TraceRecorder;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.loader.RawImage;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.time.TimeMode;
import org.crtrmotion.vm.trace.InputEvent;
import org.crtrmotion.vm.trace.TraceReader;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For every guest, in host time with random console input: a checkpoint at a random point, the
 * inputs recorded from there while the run is paused at random points to sample its digest; then,
 * on a fresh machine restored from the checkpoint, the replay reaches every sampled digest at its
 * instruction count and the final one at the end; and a replay cut at a random input goes live and
 * still runs the guest to its end.
 */
class RecordReplayPropertyTest {
  private record Sample(long instructions, StateDigest digest) {}

  static Stream<Arguments> guests() throws Exception {
    List<Arguments> cases = new ArrayList<>();
    for (long seed : new long[] {11, 12}) {
      cases.add(Arguments.of("cpu.elf", "rounds=2", seed));
      cases.add(
          Arguments.of("memory.elf", "wss=2M rate=64 period_us=400 ticks=40 report=10", seed));
      cases.add(Arguments.of("idle.elf", "period_us=1500 ticks=12", seed));
      cases.add(Arguments.of("hello.elf", "", seed));
    }
    String image = System.getenv("CRTR_LINUX_IMAGE");
    if (image != null
        && Files.isRegularFile(Path.of(image))
        && Files.isRegularFile(LinuxBootTest.DEBIAN_OPENSBI)) {
      cases.add(
          Arguments.of(
              "linux",
              "console=ttyS0 quiet crtr.workload=all crtr.serial=1 crtr.rounds=1 crtr.ticks=4",
              13L));
    }
    return cases.stream();
  }

  private static BootPlan plan(String guest) throws Exception {
    if (guest.equals("linux")) {
      return new BootPlan.Firmware(
          RawImage.read(LinuxBootTest.DEBIAN_OPENSBI, MachineConfig.RAM_BASE),
          RawImage.read(Path.of(System.getenv("CRTR_LINUX_IMAGE")), BootPlan.KERNEL_LOAD_ADDRESS));
    }
    return new BootPlan.BareMetal(ElfLoader.parse(BundledGuests.read(guest).orElseThrow()));
  }

  @ParameterizedTest(name = "{0} seed {2}")
  @MethodSource("guests")
  void replayFromARandomCheckpointMeetsEverySampledDigest(String guest, String bootargs, long seed)
      throws Exception {
    Random random = new Random(seed);
    BootPlan plan = plan(guest);
    MachineConfig config =
        MachineConfig.defaults().withTimeMode(TimeMode.HOST).withBootargs(bootargs);
    Machine live = Machine.boot(config, plan, b -> {});

    // A first run only to learn the length, so the checkpoint falls inside the guest's life.
    Machine probe = Machine.boot(config, plan, b -> {});
    long length = probe.run(3_000_000_000L).instructions();
    long checkpointAt = (long) (random.nextDouble() * 0.6 * length);
    if (checkpointAt > 0) {
      assertEquals(StopReason.INSTRUCTION_LIMIT, live.run(checkpointAt).reason());
    }
    Checkpoint checkpoint = live.checkpoint();
    List<TraceSegment> segments = new ArrayList<>();
    TraceWriter writer = new TraceWriter(live.board().hart.instret(), segments::add);
    live.record(new TraceRecorder(writer));
    List<Sample> samples = new ArrayList<>();
    RunResult r;
    do {
      if (random.nextInt(3) == 0) {
        byte[] typed = new byte[1 + random.nextInt(4)];
        random.nextBytes(typed);
        live.consoleInput(typed);
      }
      r =
          live.run(
              live.instructionsRetired() + 1 + random.nextInt(Math.max(1, (int) (length / 8))));
      samples.add(new Sample(live.instructionsRetired(), live.digest()));
    } while (r.reason() == StopReason.INSTRUCTION_LIMIT);
    assertEquals(StopReason.POWER_OFF, r.reason(), r.detail());
    writer.finish(live.board().hart.instret());
    List<InputEvent> inputs = new ArrayList<>();
    TraceReader reader = new TraceReader(checkpoint.state().getHart().getInstret());
    for (TraceSegment s : segments) {
      inputs.addAll(reader.accept(s));
    }

    Machine replay = Machine.restore(checkpoint, plan, b -> {});
    replay.replay(new ListFeed(inputs), false);
    for (Sample s : samples) {
      RunResult step = replay.run(s.instructions());
      assertEquals(s.instructions(), step.instructions(), step.detail());
      assertEquals(s.digest(), replay.digest(), "digest at " + s.instructions());
    }

    Machine goesLive = Machine.restore(checkpoint, plan, b -> {});
    goesLive.replay(new ListFeed(inputs.subList(0, random.nextInt(inputs.size() + 1))), true);
    RunResult finished = goesLive.run(3_000_000_000L);
    assertEquals(StopReason.POWER_OFF, finished.reason(), finished.detail());
    checkpoint.close();
  }
}
