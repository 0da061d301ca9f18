package org.crtrmotion.ops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.crtrmotion.guests.BundledGuests;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.checkpoint.CheckpointWriter;
import org.crtrmotion.vm.input.ListFeed;
import org.crtrmotion.vm.input.TraceRecorder;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.crtrmotion.vm.time.TimeMode;
import org.crtrmotion.vm.trace.GuestTimeSpan;
import org.crtrmotion.vm.trace.InputEvent;
import org.crtrmotion.vm.trace.TraceReader;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code crtr bench record}: what recording costs and what replay gains, in host time, each a ratio
 * measured in this run: recording slowdown, replay speed against live, trace bytes per second of
 * guest time; and the pause and size of a checkpoint of a 256 MiB guest.
 */
@Command(
    name = "record",
    description = {
      "Recording slowdown (cpu.elf, memory.elf), replay speed against live (idle.elf, "
          + "cpu.elf), trace bytes per second of guest time, all in host time and measured "
          + "against each other in this run; and the pause and size of a checkpoint of a 256 "
          + "MiB guest.",
      "--quick: hello.elf instead of cpu.elf, shorter memory.elf and idle.elf, one run "
          + "each, a 16 MiB guest's checkpoint (checks that the bench works; its figures mean "
          + "little).",
      "With --json: one JSON object on stdout (quick, repeat, timeMode, guests [{image, "
          + "bootargs, instructions, liveSeconds, recordSeconds, replaySeconds, "
          + "recordingSlowdownPercent, replaySpeedup, traceBytes, guestSeconds, "
          + "traceBytesPerGuestSecond}], checkpoint {image, bootargs, guestMemoryBytes, "
          + "pauseMicros, runs, bytes, pages})."
    },
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:measured", "1:a replay did not follow its recording", "2:bad option"})
final class BenchRecordCommand implements Callable<Integer> {
  @Option(
      names = "--repeat",
      paramLabel = "N",
      description = "measured runs per case, best kept (default ${DEFAULT-VALUE})")
  int repeat = 3;

  @Option(
      names = "--quick",
      description = "short guests, one run each, a small checkpoint: checks the bench, no figures")
  boolean quick;

  @Mixin JsonOption json;

  private record Case(String image, String bootargs) {}

  /** The guest a checkpoint is taken of, and how far it runs first (to fill its working set). */
  private record CheckpointCase(long ramBytes, String bootargs, long warmInstructions) {}

  private static final CheckpointCase CHECKPOINT_256_MIB =
      // Fills a 240 MiB working set, then keeps rewriting it.
      new CheckpointCase(
          256L << 20, "wss=240M rate=64 period_us=100 ticks=0 report=1000000", 400_000_000L);

  private static final CheckpointCase CHECKPOINT_QUICK =
      new CheckpointCase(
          16L << 20, "wss=1M rate=64 period_us=100 ticks=0 report=1000000", 2_000_000L);

  private static final List<Case> QUICK_CASES =
      List.of(
          new Case("hello.elf", ""),
          new Case("memory.elf", "wss=1M rate=64 period_us=1 ticks=20 report=20"),
          new Case("idle.elf", "period_us=2000 ticks=3"));

  private record Run(RunResult result, double seconds, List<InputEvent> inputs, long traceBytes) {}

  private static final List<Case> CASES =
      List.of(
          new Case("cpu.elf", "rounds=10"),
          // A tick period shorter than a tick's work: never sleeps, reads the clock every tick.
          new Case("memory.elf", "wss=8M rate=64 period_us=1 ticks=2000 report=500"),
          new Case("idle.elf", "period_us=20000 ticks=25"));

  @Override
  public Integer call() throws Exception {
    if (repeat < 1) {
      System.err.println("crtr bench record: --repeat must be at least 1, was " + repeat);
      return RunCommand.EXIT_BAD_INPUT;
    }
    int runs = quick ? 1 : repeat;
    ObjectNode report = JsonOption.object().put("quick", quick).put("repeat", runs);
    report.put("timeMode", "host");
    ArrayNode guests = report.putArray("guests");
    if (!json.enabled()) {
      System.out.printf(
          Locale.ROOT,
          "%-10s %14s %10s %10s %10s %9s %9s %12s%n",
          "guest",
          "instructions",
          "live s",
          "record s",
          "replay s",
          "slowdown",
          "replay x",
          "trace B/s");
    }
    for (Case c : quick ? QUICK_CASES : CASES) {
      byte[] image = BundledGuests.read(c.image()).orElseThrow();
      run(image, c.bootargs(), false); // warm-up
      Run live = best(image, c.bootargs(), false, runs);
      Run recorded = best(image, c.bootargs(), true, runs);
      double replaySeconds = Double.MAX_VALUE;
      for (int i = 0; i < runs; i++) {
        replaySeconds = Math.min(replaySeconds, replay(image, c.bootargs(), recorded));
      }
      double guestSeconds = GuestTimeSpan.of(recorded.inputs()).seconds();
      double slowdownPercent = 100 * (recorded.seconds() / live.seconds() - 1);
      double replaySpeedup = recorded.seconds() / replaySeconds;
      if (json.enabled()) {
        ObjectNode g = guests.addObject().put("image", c.image()).put("bootargs", c.bootargs());
        g.put("instructions", recorded.result().instructions());
        JsonOption.number(g, "liveSeconds", live.seconds());
        JsonOption.number(g, "recordSeconds", recorded.seconds());
        JsonOption.number(g, "replaySeconds", replaySeconds);
        JsonOption.number(g, "recordingSlowdownPercent", slowdownPercent);
        JsonOption.number(g, "replaySpeedup", replaySpeedup);
        g.put("traceBytes", recorded.traceBytes());
        JsonOption.number(g, "guestSeconds", guestSeconds);
        JsonOption.number(
            g,
            "traceBytesPerGuestSecond",
            guestSeconds > 0 ? recorded.traceBytes() / guestSeconds : Double.NaN);
        continue;
      }
      System.out.printf(
          Locale.ROOT,
          "%-10s %,14d %10.3f %10.3f %10.3f %8.1f%% %9.1f %12s%n",
          c.image(),
          recorded.result().instructions(),
          live.seconds(),
          recorded.seconds(),
          replaySeconds,
          slowdownPercent,
          replaySpeedup,
          guestSeconds > 0
              ? String.format(Locale.ROOT, "%.0f", recorded.traceBytes() / guestSeconds)
              : "-");
    }
    ObjectNode checkpoint = checkpointOf(quick ? CHECKPOINT_QUICK : CHECKPOINT_256_MIB, runs);
    if (json.enabled()) {
      report.set("checkpoint", checkpoint);
      System.out.println(JsonOption.line(report));
    }
    return 0;
  }

  private static Run best(byte[] image, String bootargs, boolean record, int runs)
      throws Exception {
    Run best = null;
    for (int i = 0; i < runs; i++) {
      Run r = run(image, bootargs, record);
      if (best == null || r.seconds() < best.seconds()) {
        best = r;
      }
    }
    return best;
  }

  private static MachineConfig hostTime(String bootargs) {
    return MachineConfig.defaults().withTimeMode(TimeMode.HOST).withBootargs(bootargs);
  }

  private static Run run(byte[] image, String bootargs, boolean record) throws Exception {
    Machine m = Machine.boot(hostTime(bootargs), ElfLoader.parse(image), b -> {});
    List<TraceSegment> segments = new ArrayList<>();
    TraceWriter writer = new TraceWriter(0, segments::add);
    if (record) {
      m.record(new TraceRecorder(writer));
    }
    long start = System.nanoTime();
    RunResult r = m.run(0);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (r.reason() != StopReason.POWER_OFF) {
      throw new IllegalStateException(r.detail());
    }
    writer.finish(m.board().hart.instret());
    TraceReader reader = new TraceReader(0);
    List<InputEvent> inputs = new ArrayList<>();
    long bytes = 0;
    for (TraceSegment s : segments) {
      inputs.addAll(reader.accept(s));
      bytes += s.wireBytes();
    }
    return new Run(r, seconds, inputs, bytes);
  }

  private static double replay(byte[] image, String bootargs, Run recorded) throws Exception {
    Machine m = Machine.boot(hostTime(bootargs), ElfLoader.parse(image), b -> {});
    m.replay(new ListFeed(recorded.inputs()), false);
    long start = System.nanoTime();
    RunResult r = m.run(0);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (r.reason() != StopReason.POWER_OFF
        || r.instructions() != recorded.result().instructions()) {
      throw new IllegalStateException("replay did not follow the recording: " + r.detail());
    }
    return seconds;
  }

  /** Checkpoints the guest {@code runs} times; prints the best pause unless --json. */
  private ObjectNode checkpointOf(CheckpointCase c, int runs) throws Exception {
    byte[] image = BundledGuests.read("memory.elf").orElseThrow();
    MachineConfig config =
        MachineConfig.defaults().withRamBytes(c.ramBytes()).withBootargs(c.bootargs());
    Machine m = Machine.boot(config, ElfLoader.parse(image), b -> {});
    m.run(c.warmInstructions());
    long best = Long.MAX_VALUE;
    long bytes = 0;
    long pages = 0;
    for (int i = 0; i < runs; i++) {
      m.run(m.instructionsRetired() + 1_000_000);
      long start = System.nanoTime();
      Checkpoint checkpoint = m.checkpoint();
      best = Math.min(best, System.nanoTime() - start);
      CountingStream out = new CountingStream();
      CheckpointWriter.Written w = CheckpointWriter.write(checkpoint, out);
      checkpoint.close();
      bytes = w.bytes();
      pages = w.pages();
    }
    if (!json.enabled()) {
      System.out.printf(
          Locale.ROOT,
          "checkpoint of a %d MiB guest (memory.elf, %s): pause %.0f µs (best of %d), %,d bytes,"
              + " %,d pages%n",
          c.ramBytes() >> 20,
          c.bootargs(),
          best / 1e3,
          runs,
          bytes,
          pages);
    }
    ObjectNode o = JsonOption.object().put("image", "memory.elf").put("bootargs", c.bootargs());
    o.put("guestMemoryBytes", c.ramBytes());
    JsonOption.number(o, "pauseMicros", best / 1e3);
    return o.put("runs", runs).put("bytes", bytes).put("pages", pages);
  }

  private static final class CountingStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
