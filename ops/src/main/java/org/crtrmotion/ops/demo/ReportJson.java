package org.crtrmotion.ops.demo;

import java.util.List;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.RoundReport;

/**
 * The demo's reports as one JSON object {@code {"reports": [...]}}. The member names are stable
 * (scripts read them): the {@link MigrationReport} fields in camelCase, {@code strategy} as on the
 * command line ({@code crtr}, {@code precopy}), byte counts in bytes, times in milliseconds.
 */
final class ReportJson {
  private ReportJson() {}

  static String of(List<DemoResult> results) {
    JsonWriter w = new JsonWriter().beginObject().name("reports").beginArray();
    for (DemoResult r : results) {
      write(w, r);
    }
    return w.endArray().endObject().toString();
  }

  private static void write(JsonWriter w, DemoResult result) {
    MigrationReport r = result.report();
    w.beginObject()
        .member("strategy", r.strategy().cliName())
        .member("outcome", r.outcome().name())
        .member("reason", r.reason())
        .member("workload", result.workload().cliName())
        .member("image", result.workload().image())
        .member("vmId", r.vmId())
        .member("migrationId", r.migrationId())
        .member("source", r.sourceNode())
        .member("target", r.targetNode())
        .member("downtimeMillis", r.downtimeMillis())
        .member("totalTimeMillis", r.totalTimeMillis())
        .member("setupTimeMillis", r.setupTimeMillis())
        .member("expectedDowntimeMillis", knownOrMinus1(r.expectedDowntimeMillis()))
        .member("bytesTotal", r.bytesTotal());
    w.name("bytesByKind")
        .beginObject()
        .member("checkpoint", r.bytesByKind().checkpoint())
        .member("trace", r.bytesByKind().trace())
        .member("pages", r.bytesByKind().pages())
        .member("control", r.bytesByKind().control())
        .endObject();
    w.member("rounds", r.rounds().size());
    w.name("roundDetails").beginArray();
    for (RoundReport round : r.rounds()) {
      write(w, round);
    }
    w.endArray()
        .member("digestMatch", r.digestMatch())
        .member("digestCheck", r.digestCheck().name())
        .member("freezeInstruction", r.freezeInstruction())
        .member("maxThrottlePercent", r.maxThrottlePercent())
        .member("outputContinuous", result.outputContinuous())
        .member("lastSourceLine", r.outputContinuity().lastSourceLine())
        .member("firstTargetLine", r.outputContinuity().firstTargetLine());
    w.name("consoleSeen")
        .beginObject()
        .member("lines", result.console().printed())
        .member("gaps", result.console().gaps())
        .member("duplicates", result.console().duplicates())
        .endObject();
    w.endObject();
  }

  private static void write(JsonWriter w, RoundReport round) {
    w.beginObject()
        .member("round", round.round())
        .member("endedAtMillis", round.endedAtMillis())
        .member("bytesSent", round.bytesSent())
        .member("backlogBytes", round.backlogBytes())
        .member("lagInstructions", round.lagInstructions())
        .member("linkBytesPerSecond", round.linkBytesPerSecond())
        .member("producedBytesPerSecond", round.producedBytesPerSecond())
        .member("replayInstructionsPerSecond", round.replayInstructionsPerSecond())
        .member("expectedDowntimeMillis", knownOrMinus1(round.expectedDowntimeMillis()))
        .member("throttlePercent", round.throttlePercent())
        .endObject();
  }

  /** A prediction not yet possible is {@link Long#MAX_VALUE} in the report, -1 in the JSON. */
  private static long knownOrMinus1(long expectedDowntimeMillis) {
    return expectedDowntimeMillis == Long.MAX_VALUE ? -1 : expectedDowntimeMillis;
  }
}
