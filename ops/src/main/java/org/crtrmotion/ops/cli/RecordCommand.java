package org.crtrmotion.ops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.checkpoint.CheckpointWriter;
import org.crtrmotion.vm.input.TraceRecorder;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.crtrmotion.vm.trace.TraceFiles;
import org.crtrmotion.vm.trace.TraceHeader;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code crtr record}: runs a guest, checkpoints it at an instruction, records every input from
 * there, and saves checkpoint, trace and the final digests. The checkpoint is written by another
 * thread while the guest runs on: its memory is shared copy-on-write.
 */
@Command(
    name = "record",
    description = {
      "Runs a guest, takes a checkpoint at instruction N (--checkpoint-at), records its "
          + "inputs from there (host-clock reads, timer interrupts, console input from "
          + "--input), and saves checkpoint, trace and the final digest in DIR (--out).",
      "The guest's console is on stdout, the summary on stderr. With --json the summary "
          + "is one JSON object on stderr (directory, image, instructions, seconds, mips, "
          + "outcome, detail, checkpoint {file, instructions, pauseMicros, bytes, pages}, "
          + "trace {file, segments, events, bytes}, endInstructions, digest, outputDigest); "
          + "stdout stays the console."
    },
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:recorded and saved",
      "1:the guest ended before --checkpoint-at",
      "2:bad image, option or --out"
    })
final class RecordCommand implements Callable<Integer> {
  @Mixin MachineOptions machineOptions;

  @Mixin JsonOption json;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      required = true,
      description = "where to save the recording")
  Path out;

  @Option(
      names = "--checkpoint-at",
      paramLabel = "N",
      description = "instruction count of the checkpoint (default 0)")
  long checkpointAt;

  @Option(
      names = "--for",
      paramLabel = "N",
      description = "record N instructions (default: until the guest ends)")
  long forInstructions;

  @Option(
      names = "--input",
      paramLabel = "FILE",
      description = "bytes typed on the guest's console once the recording starts")
  Path input;

  @Override
  public Integer call() throws Exception {
    if (checkpointAt < 0 || forInstructions < 0) {
      System.err.println("crtr record: --checkpoint-at and --for must not be negative");
      return RunCommand.EXIT_BAD_INPUT;
    }
    MachineOptions.Machine spec;
    try {
      spec = machineOptions.resolve();
    } catch (MachineOptions.BadInput e) {
      System.err.println("crtr record: " + e.getMessage());
      return RunCommand.EXIT_BAD_INPUT;
    }
    try {
      Files.createDirectories(out);
    } catch (java.io.IOException e) {
      System.err.println("crtr record: --out: " + RunCommand.message(e));
      return RunCommand.EXIT_BAD_INPUT;
    }
    try (ConsoleOutput console = new ConsoleOutput()) {
      Machine machine;
      try {
        machine = Machine.boot(spec.config(), spec.plan(), console);
      } catch (Exception e) {
        System.err.println("crtr record: " + spec.label() + ": " + RunCommand.message(e));
        return RunCommand.EXIT_BAD_INPUT;
      }
      if (checkpointAt > 0) {
        RunResult before = machine.run(checkpointAt);
        if (before.reason() != StopReason.INSTRUCTION_LIMIT) {
          console.flush();
          System.err.println(
              "crtr record: the guest ended before instruction "
                  + checkpointAt
                  + ": "
                  + before.detail());
          return 1;
        }
      }
      long pauseStart = System.nanoTime();
      Checkpoint checkpoint = machine.checkpoint();
      long pauseNanos = System.nanoTime() - pauseStart;
      long start = machine.board().hart.instret();
      List<TraceSegment> segments = new ArrayList<>();
      TraceWriter writer = new TraceWriter(start, segments::add);
      machine.record(new TraceRecorder(writer));
      machine.restartOutputDigest();
      if (input != null) {
        machine.consoleInput(Files.readAllBytes(input));
      }
      CompletableFuture<CheckpointWriter.Written> saving =
          CompletableFuture.supplyAsync(() -> save(checkpoint, out.resolve(Recording.CHECKPOINT)));

      long limit = forInstructions == 0 ? 0 : machine.instructionsRetired() + forInstructions;
      long runStart = System.nanoTime();
      RunResult result = GuardedRun.run(machine, limit, console::flush);
      double seconds = (System.nanoTime() - runStart) / 1e9;
      CheckpointWriter.Written written = saving.get();
      checkpoint.close();

      long end = machine.board().hart.instret();
      writer.finish(end);
      TraceFiles.write(
          out.resolve(Recording.TRACE),
          TraceHeader.virt(spec.config().ramBytes(), spec.config().timeMode(), start),
          segments);
      Recording recording =
          new Recording(
              checkpoint.instructions(),
              machine.instructionsRetired(),
              machine.digest(),
              machine.outputDigest(),
              result.reason().name());
      recording.write(out);
      long events = segments.stream().mapToLong(TraceSegment::eventCount).sum();
      if (json.enabled()) {
        ObjectNode o = JsonOption.object().put("directory", out.toString());
        o.put("image", spec.label());
        o.setAll(RunJson.summary(result, seconds));
        ObjectNode c = o.putObject("checkpoint");
        c.put("file", out.resolve(Recording.CHECKPOINT).toString());
        c.put("instructions", recording.startInstructions());
        JsonOption.number(c, "pauseMicros", pauseNanos / 1e3);
        c.put("bytes", written.bytes()).put("pages", written.pages());
        ObjectNode t = o.putObject("trace");
        t.put("file", out.resolve(Recording.TRACE).toString());
        t.put("segments", segments.size()).put("events", events);
        t.put("bytes", Files.size(out.resolve(Recording.TRACE)));
        o.put("endInstructions", recording.endInstructions());
        o.put("digest", recording.digest().toString());
        o.put("outputDigest", Long.toUnsignedString(recording.outputDigest(), 16));
        System.err.println(JsonOption.line(o));
        return 0;
      }
      System.err.println(Summary.line(result, seconds));
      System.err.printf(
          Locale.ROOT,
          "crtr record: checkpoint at %,d instructions (pause %.0f µs, %,d bytes, %,d pages); %,d"
              + " inputs recorded to %,d; digest %s; saved in %s%n",
          recording.startInstructions(),
          pauseNanos / 1e3,
          written.bytes(),
          written.pages(),
          events,
          recording.endInstructions(),
          recording.digest(),
          out);
      return 0;
    }
  }

  private static CheckpointWriter.Written save(Checkpoint checkpoint, Path file) {
    try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      return CheckpointWriter.write(checkpoint, o);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot write " + file, e);
    }
  }
}
