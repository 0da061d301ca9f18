package org.crtrmotion.ops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.crtrmotion.vm.checkpoint.CheckpointReader;
import org.crtrmotion.vm.input.ListFeed;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.trace.Trace;
import org.crtrmotion.vm.trace.TraceFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code crtr replay}: restores a recording's checkpoint, replays its trace, and compares the
 * digest at the end with the recorded one.
 */
@Command(
    name = "replay",
    description = {
      "Restores DIR's checkpoint, replays its trace to the recorded end, prints the "
          + "digest there and whether it equals the recorded one (exit code 0 only if it "
          + "does). With --then-live the guest goes on live after the trace, its output on "
          + "stdout.",
      "With --json the summary and the digest line are one JSON object on stderr "
          + "(directory, instructions, seconds, mips, outcome, detail, digest, outputDigest, "
          + "recorded {startInstructions, endInstructions, digest, outputDigest}, "
          + "digestMatches, instructionsMatch, outputMatches, matches, live (the live run's "
          + "summary or null), exitStatus); stdout carries only the guest's live output."
    },
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:digest, instruction count and output equal the recording",
      "1:they differ",
      "2:DIR is not a readable recording"
    })
final class ReplayCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "a directory written by crtr record")
  Path dir;

  @Option(names = "--then-live", description = "go live at the end of the trace and run on")
  boolean thenLive;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    Recording recording;
    Trace trace;
    Machine machine;
    try (ConsoleOutput console = new ConsoleOutput()) {
      Path file = dir.resolve(Recording.SUMMARY);
      try {
        recording = Recording.read(dir);
        file = dir.resolve(Recording.TRACE);
        trace = TraceFiles.read(file);
        file = dir.resolve(Recording.CHECKPOINT);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
          machine = CheckpointReader.restore(in, null, console);
        }
      } catch (Exception e) {
        String why = RunCommand.message(e);
        System.err.println(
            "crtr replay: " + (why.startsWith(file.toString()) ? why : file + ": " + why));
        return RunCommand.EXIT_BAD_INPUT;
      }
      machine.restartOutputDigest();
      machine.replay(new ListFeed(trace.events()), thenLive);
      long start = System.nanoTime();
      RunResult replayed = machine.run(recording.endInstructions());
      double seconds = (System.nanoTime() - start) / 1e9;
      StateDigest digest = machine.digest();
      boolean digestMatches = digest.equals(recording.digest());
      boolean instructionsMatch = machine.instructionsRetired() == recording.endInstructions();
      boolean outputMatches = machine.outputDigest() == recording.outputDigest();
      boolean same = digestMatches && instructionsMatch && outputMatches;
      if (!json.enabled()) {
        System.err.println(Summary.line(replayed, seconds));
        System.out.println(
            "digest "
                + digest
                + " at "
                + machine.instructionsRetired()
                + " instructions: "
                + (same
                    ? "equals the recording"
                    : "DIFFERS from the recording ("
                        + recording.digest()
                        + " at "
                        + recording.endInstructions()
                        + ")"));
      }
      ObjectNode o = JsonOption.object().put("directory", dir.toString());
      o.setAll(RunJson.summary(replayed, seconds));
      o.put("digest", digest.toString());
      o.put("outputDigest", Long.toUnsignedString(machine.outputDigest(), 16));
      o.putObject("recorded")
          .put("startInstructions", recording.startInstructions())
          .put("endInstructions", recording.endInstructions())
          .put("digest", recording.digest().toString())
          .put("outputDigest", Long.toUnsignedString(recording.outputDigest(), 16));
      o.put("digestMatches", digestMatches);
      o.put("instructionsMatch", instructionsMatch);
      o.put("outputMatches", outputMatches);
      o.put("matches", same);
      o.putNull("live");
      if (thenLive && same && replayed.reason() == StopReason.INSTRUCTION_LIMIT) {
        long liveStart = System.nanoTime();
        RunResult live = GuardedRun.run(machine, 0, console::flush);
        if (json.enabled()) {
          o.set("live", RunJson.summary(live, (System.nanoTime() - liveStart) / 1e9));
        } else {
          System.err.println("crtr replay: live from there: " + live.detail());
        }
      }
      if (json.enabled()) {
        System.err.println(JsonOption.line(o.put("exitStatus", same ? 0 : 1)));
      }
      return same ? 0 : 1;
    }
  }
}
