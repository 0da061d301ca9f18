package org.crtrmotion.ops.node;

import java.util.LinkedHashMap;
import java.util.Map;
import org.crtrmotion.actors.coordinator.MigrationEvent;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.ops.report.MigrationReportJson;

/**
 * A migration's report and progress as the API's JSON. The report's members are defined once, in
 * {@link MigrationReportJson}, shared with {@code crtr demo --json}; progress uses the same
 * conventions (bytes in bytes, times in milliseconds, a downtime not yet predictable as -1).
 */
final class MigrationJson {
  private MigrationJson() {}

  static Map<String, Object> report(MigrationReport r) {
    return MigrationReportJson.of(r);
  }

  /** Phase, round, expected downtime, bytes and lag of a migration under way. */
  static Map<String, Object> progress(MigrationEvent.ProgressUpdate p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("migrationId", p.migrationId());
    m.put("phase", p.phase().name());
    m.put("round", p.round());
    m.put("expectedDowntimeMillis", MigrationReportJson.knownOrMinus1(p.expectedDowntimeMillis()));
    m.put("bytesSent", p.bytesSent());
    m.put("lagInstructions", p.lagInstructions());
    m.put("backlogBytes", p.backlogBytes());
    return m;
  }
}
