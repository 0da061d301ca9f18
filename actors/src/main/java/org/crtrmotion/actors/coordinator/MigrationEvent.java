package org.crtrmotion.actors.coordinator;

import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Phase;
import org.crtrmotion.streams.StreamMetrics;

/** What the requester of a migration hears: its id, its progress, its report. Local only. */
public sealed interface MigrationEvent
    permits MigrationEvent.Started, MigrationEvent.ProgressUpdate, MigrationEvent.Finished {

  String migrationId();

  /** The migration has an id (for {@code cancel}) and is preparing. */
  record Started(String migrationId, String vmId, String targetNode) implements MigrationEvent {}

  /**
   * Where the migration is.
   *
   * @param round rounds measured so far (0 before the first)
   * @param expectedDowntimeMillis predicted at the last round; {@link Long#MAX_VALUE} when not yet
   *     known
   * @param bytesSent every kind, put on the link so far
   * @param lagInstructions how far the target's copy is behind the source (CR/TR)
   * @param backlogBytes what the target has not acknowledged yet
   * @param stream the state of the migration's reliable trace stream (acknowledged frames, spill,
   *     throttle), or null for a strategy without one
   */
  record ProgressUpdate(
      String migrationId,
      Phase phase,
      int round,
      long expectedDowntimeMillis,
      long bytesSent,
      long lagInstructions,
      long backlogBytes,
      StreamMetrics.Reliability stream)
      implements MigrationEvent {

    /** Progress of a migration that has no reliable stream (yet). */
    public ProgressUpdate(
        String migrationId,
        Phase phase,
        int round,
        long expectedDowntimeMillis,
        long bytesSent,
        long lagInstructions,
        long backlogBytes) {
      this(
          migrationId,
          phase,
          round,
          expectedDowntimeMillis,
          bytesSent,
          lagInstructions,
          backlogBytes,
          null);
    }
  }

  /** The migration ended, committed or aborted. */
  record Finished(String migrationId, MigrationReport report) implements MigrationEvent {}
}
