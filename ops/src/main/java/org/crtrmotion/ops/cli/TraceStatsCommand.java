package org.crtrmotion.ops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.crtrmotion.vm.trace.EventKind;
import org.crtrmotion.vm.trace.GuestTimeSpan;
import org.crtrmotion.vm.trace.Trace;
import org.crtrmotion.vm.trace.TraceFiles;
import org.crtrmotion.vm.trace.TraceStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code crtr trace-stats}: what a recording's trace holds and what it costs. */
@Command(
    name = "trace-stats",
    description = {
      "Prints a recording's events by kind, bytes, bytes per million instructions and "
          + "per second of guest time.",
      "With --json: one JSON object on stdout (trace, timeMode, firstInstruction, "
          + "lastInstruction, instructions, events, eventsByKind [{kind, events, bytes, "
          + "bytesPerEvent}], segments, eventBytes, wireBytes, bytesPerMillionInstructions, "
          + "guestSeconds, bytesPerGuestSecond; the last two null without time reads)."
    },
    mixinStandardHelpOptions = true,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:printed", "2:DIR is not a readable recording"})
final class TraceStatsCommand implements Callable<Integer> {
  @Parameters(paramLabel = "DIR", description = "a directory written by crtr record")
  Path dir;

  @Mixin JsonOption json;

  @Override
  public Integer call() {
    Trace trace;
    TraceStats stats;
    try {
      trace = TraceFiles.read(dir.resolve(Recording.TRACE));
      stats = TraceStats.of(trace.segments());
    } catch (Exception e) {
      System.err.println("crtr trace-stats: " + dir + ": " + RunCommand.message(e));
      return RunCommand.EXIT_BAD_INPUT;
    }
    GuestTimeSpan span = GuestTimeSpan.of(trace.events());
    if (json.enabled()) {
      System.out.println(JsonOption.line(json(trace, stats, span)));
      return 0;
    }
    System.out.printf(
        Locale.ROOT,
        "trace %s: %s time, instructions %,d..%,d (%,d)%n",
        dir.resolve(Recording.TRACE),
        trace.header().timeMode().name().toLowerCase(Locale.ROOT),
        stats.firstIcount(),
        stats.lastIcount(),
        stats.instructions());
    for (EventKind kind : EventKind.values()) {
      long n = stats.eventsByKind().getOrDefault(kind, 0L);
      if (n > 0) {
        System.out.printf(
            Locale.ROOT,
            "  %-14s %,12d events %,14d bytes (%.2f bytes/event)%n",
            kind,
            n,
            stats.eventBytesByKind().getOrDefault(kind, 0L),
            stats.bytesPerEvent(kind));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "  %,d segments, %,d event bytes, %,d bytes on disk%n",
        stats.segments(),
        stats.eventBytes(),
        stats.wireBytes());
    System.out.printf(
        Locale.ROOT,
        "  %.1f bytes per million instructions%n",
        stats.bytesPerMillionInstructions());
    if (!span.isEmpty()) {
      System.out.printf(
          Locale.ROOT,
          "  %.1f bytes per second of guest time (%.3f s of guest time read)%n",
          stats.bytesPerGuestSecond(span.firstMtime(), span.lastMtime()),
          span.seconds());
    }
    return 0;
  }

  private ObjectNode json(Trace trace, TraceStats stats, GuestTimeSpan span) {
    ObjectNode o = JsonOption.object().put("trace", dir.resolve(Recording.TRACE).toString());
    o.put("timeMode", trace.header().timeMode().name().toLowerCase(Locale.ROOT));
    o.put("firstInstruction", stats.firstIcount()).put("lastInstruction", stats.lastIcount());
    o.put("instructions", stats.instructions()).put("events", stats.events());
    ArrayNode kinds = o.putArray("eventsByKind");
    for (EventKind kind : EventKind.values()) {
      long n = stats.eventsByKind().getOrDefault(kind, 0L);
      if (n > 0) {
        ObjectNode k = kinds.addObject().put("kind", kind.name()).put("events", n);
        k.put("bytes", stats.eventBytesByKind().getOrDefault(kind, 0L));
        JsonOption.number(k, "bytesPerEvent", stats.bytesPerEvent(kind));
      }
    }
    o.put("segments", stats.segments());
    o.put("eventBytes", stats.eventBytes()).put("wireBytes", stats.wireBytes());
    JsonOption.number(o, "bytesPerMillionInstructions", stats.bytesPerMillionInstructions());
    if (span.isEmpty()) {
      o.putNull("guestSeconds").putNull("bytesPerGuestSecond");
    } else {
      JsonOption.number(o, "guestSeconds", span.seconds());
      JsonOption.number(
          o, "bytesPerGuestSecond", stats.bytesPerGuestSecond(span.firstMtime(), span.lastMtime()));
    }
    return o;
  }
}
