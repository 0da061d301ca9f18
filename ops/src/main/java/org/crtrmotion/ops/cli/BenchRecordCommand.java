package org.crtrmotion.ops.cli;

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
import picocli.CommandLine.Option;

/**
 * {@code crtr bench record}: what recording costs and what replay gains, in host time, each a ratio
 * measured in this run: recording slowdown, replay speed against live, trace bytes per second of
 * guest time; and the pause and size of a checkpoint of a 256 MiB guest.
 */
@Command(
    name = "record",
    description = {
      "Recording slowdown (cpu.elf, memory.elf), replay speed against live (idle.elf, cpu.elf),",
      "trace bytes per second of guest time, all in host time and measured against each other in",
      "this run; and the pause and size of a checkpoint of a 256 MiB guest."
    },
    mixinStandardHelpOptions = true)
final class BenchRecordCommand implements Callable<Integer> {
  @Option(
      names = "--repeat",
      paramLabel = "N",
      description = "measured runs per case, best kept (default ${DEFAULT-VALUE})")
  int repeat = 3;

  private record Case(String image, String bootargs) {}

  private record Run(RunResult result, double seconds, List<InputEvent> inputs, long traceBytes) {}

  private static final List<Case> CASES =
      List.of(
          new Case("cpu.elf", "rounds=10"),
          // A tick period shorter than a tick's work: never sleeps, reads the clock every tick.
          new Case("memory.elf", "wss=8M rate=64 period_us=1 ticks=2000 report=500"),
          new Case("idle.elf", "period_us=20000 ticks=25"));

  @Override
  public Integer call() throws Exception {
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
    for (Case c : CASES) {
      byte[] image = BundledGuests.read(c.image()).orElseThrow();
      run(image, c.bootargs(), false); // warm-up
      Run live = best(image, c.bootargs(), false);
      Run recorded = best(image, c.bootargs(), true);
      double replaySeconds = Double.MAX_VALUE;
      for (int i = 0; i < repeat; i++) {
        replaySeconds = Math.min(replaySeconds, replay(image, c.bootargs(), recorded));
      }
      double guestSeconds = GuestTimeSpan.of(recorded.inputs()).seconds();
      System.out.printf(
          Locale.ROOT,
          "%-10s %,14d %10.3f %10.3f %10.3f %8.1f%% %9.1f %12s%n",
          c.image(),
          recorded.result().instructions(),
          live.seconds(),
          recorded.seconds(),
          replaySeconds,
          100 * (recorded.seconds() / live.seconds() - 1),
          recorded.seconds() / replaySeconds,
          guestSeconds > 0
              ? String.format(Locale.ROOT, "%.0f", recorded.traceBytes() / guestSeconds)
              : "-");
    }
    checkpointOf256MiB();
    return 0;
  }

  private Run best(byte[] image, String bootargs, boolean record) throws Exception {
    Run best = null;
    for (int i = 0; i < repeat; i++) {
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

  private void checkpointOf256MiB() throws Exception {
    byte[] image = BundledGuests.read("memory.elf").orElseThrow();
    // Fills a 240 MiB working set, then keeps rewriting it.
    MachineConfig config =
        MachineConfig.defaults()
            .withRamBytes(256L << 20)
            .withBootargs("wss=240M rate=64 period_us=100 ticks=0 report=1000000");
    Machine m = Machine.boot(config, ElfLoader.parse(image), b -> {});
    m.run(400_000_000L);
    long best = Long.MAX_VALUE;
    long bytes = 0;
    long pages = 0;
    for (int i = 0; i < repeat; i++) {
      m.run(m.instructionsRetired() + 1_000_000);
      long start = System.nanoTime();
      Checkpoint c = m.checkpoint();
      best = Math.min(best, System.nanoTime() - start);
      CountingStream out = new CountingStream();
      CheckpointWriter.Written w = CheckpointWriter.write(c, out);
      c.close();
      bytes = w.bytes();
      pages = w.pages();
    }
    System.out.printf(
        Locale.ROOT,
        "checkpoint of a 256 MiB guest (memory.elf, 240 MiB working set): pause %.0f µs (best of"
            + " %d), %,d bytes, %,d pages%n",
        best / 1e3,
        repeat,
        bytes,
        pages);
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
