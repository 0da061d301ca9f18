package org.crtrmotion.ops.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.RoundReport;

/**
 * The one definition of a {@link MigrationReport}'s JSON members, shared by the node API and {@code
 * crtr demo --json} so that the two cannot drift apart. The member names are stable (scripts read
 * them): the report's fields in camelCase, {@code strategy} as on the command line, bytes in bytes,
 * times in milliseconds, a downtime not yet predictable as -1. The result is an ordered tree of
 * maps, lists, strings, numbers and booleans that any JSON writer can print.
 */
public final class MigrationReportJson {
  private MigrationReportJson() {}

  /** The report's members, in a stable order. */
  public static Map<String, Object> of(MigrationReport r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("migrationId", r.migrationId());
    m.put("vmId", r.vmId());
    m.put("source", r.sourceNode());
    m.put("target", r.targetNode());
    m.put("strategy", r.strategy().cliName());
    m.put("outcome", r.outcome().name());
    m.put("reason", r.reason());
    m.put("downtimeMillis", r.downtimeMillis());
    m.put("totalTimeMillis", r.totalTimeMillis());
    m.put("setupTimeMillis", r.setupTimeMillis());
    m.put("expectedDowntimeMillis", knownOrMinus1(r.expectedDowntimeMillis()));
    m.put("bytesTotal", r.bytesTotal());
    Map<String, Object> kinds = new LinkedHashMap<>();
    kinds.put("checkpoint", r.bytesByKind().checkpoint());
    kinds.put("trace", r.bytesByKind().trace());
    kinds.put("pages", r.bytesByKind().pages());
    kinds.put("control", r.bytesByKind().control());
    m.put("bytesByKind", kinds);
    m.put("rounds", r.rounds().size());
    List<Map<String, Object>> rounds = new ArrayList<>();
    r.rounds().forEach(round -> rounds.add(round(round)));
    m.put("roundDetails", rounds);
    m.put("digestMatch", r.digestMatch());
    m.put("digestCheck", r.digestCheck().name());
    m.put("freezeInstruction", r.freezeInstruction());
    m.put("maxThrottlePercent", r.maxThrottlePercent());
    m.put("outputContinuous", r.outputContinuity().continuous());
    m.put("lastSourceLine", r.outputContinuity().lastSourceLine());
    m.put("firstTargetLine", r.outputContinuity().firstTargetLine());
    // Frames for the VM held by its NIC ports from the freeze to the commit (none without NICs).
    Map<String, Object> hold = new LinkedHashMap<>();
    hold.put("heldFrames", r.networkHold().heldFrames());
    hold.put("droppedFrames", r.networkHold().droppedFrames());
    m.put("networkHold", hold);
    return m;
  }

  private static Map<String, Object> round(RoundReport round) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("round", round.round());
    m.put("endedAtMillis", round.endedAtMillis());
    m.put("bytesSent", round.bytesSent());
    m.put("backlogBytes", round.backlogBytes());
    m.put("lagInstructions", round.lagInstructions());
    m.put("linkBytesPerSecond", round.linkBytesPerSecond());
    m.put("producedBytesPerSecond", round.producedBytesPerSecond());
    m.put("replayInstructionsPerSecond", round.replayInstructionsPerSecond());
    m.put("expectedDowntimeMillis", knownOrMinus1(round.expectedDowntimeMillis()));
    m.put("throttlePercent", round.throttlePercent());
    return m;
  }

  /** A prediction not yet possible is {@link Long#MAX_VALUE} in the report, -1 in the JSON. */
  public static long knownOrMinus1(long expectedDowntimeMillis) {
    return expectedDowntimeMillis == Long.MAX_VALUE ? -1 : expectedDowntimeMillis;
  }
}
