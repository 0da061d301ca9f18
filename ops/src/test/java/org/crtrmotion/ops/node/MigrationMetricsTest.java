package org.crtrmotion.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.crtrmotion.actors.migration.BytesByKind;
import org.crtrmotion.actors.migration.DigestCheck;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.migration.OutputContinuity;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.streams.StreamMetrics;
import org.junit.jupiter.api.Test;

class MigrationMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MigrationMetrics metrics = new MigrationMetrics(registry);

  private static MigrationReport report(Outcome outcome, long downtimeMillis) {
    return new MigrationReport(
        "m-1",
        "a-vm-1",
        "a",
        "b",
        Strategy.CRTR,
        outcome,
        outcome == Outcome.ABORTED ? "target refused" : "",
        2_000,
        50,
        downtimeMillis,
        new BytesByKind(1_000, 200, 0, 30),
        List.of(),
        0,
        123,
        outcome == Outcome.COMMITTED ? DigestCheck.MATCH : DigestCheck.NOT_REACHED,
        OutputContinuity.UNKNOWN);
  }

  @Test
  void finishedMigrationsAreCountedByOutcome() {
    metrics.finished(report(Outcome.COMMITTED, 40));
    metrics.finished(report(Outcome.COMMITTED, 40));
    metrics.finished(report(Outcome.ABORTED, 0));
    assertEquals(
        2.0,
        registry.get(MigrationMetrics.MIGRATIONS).tag("outcome", "committed").counter().count());
    assertEquals(
        1.0, registry.get(MigrationMetrics.MIGRATIONS).tag("outcome", "aborted").counter().count());
  }

  @Test
  void downtimeAndTotalTimeAreRecordedInTheirHistograms() {
    metrics.finished(report(Outcome.COMMITTED, 40));
    metrics.finished(report(Outcome.COMMITTED, 60));
    var downtime = registry.get(MigrationMetrics.DOWNTIME).timer();
    assertEquals(2, downtime.count());
    assertEquals(100.0, downtime.totalTime(TimeUnit.MILLISECONDS));
    assertEquals(
        4_000.0,
        registry.get(MigrationMetrics.TOTAL_TIME).timer().totalTime(TimeUnit.MILLISECONDS));
  }

  @Test
  void bytesAreCountedByKind() {
    metrics.finished(report(Outcome.COMMITTED, 40));
    metrics.finished(report(Outcome.COMMITTED, 40));
    assertEquals(
        2_000.0, registry.get(MigrationMetrics.BYTES).tag("kind", "checkpoint").counter().count());
    assertEquals(
        400.0, registry.get(MigrationMetrics.BYTES).tag("kind", "trace").counter().count());
    assertEquals(
        60.0, registry.get(MigrationMetrics.BYTES).tag("kind", "control").counter().count());
  }

  private static StreamMetrics.Reliability stream(int backlogFrames, boolean throttled) {
    return new StreamMetrics.Reliability(
        10, backlogFrames, 9, 900, 500, 600, 4096, 1, 4096, 1 << 20, throttled, "spill", 3);
  }

  @Test
  void eachRunningMigrationsStreamStateIsShownAsGaugesTaggedWithItsId() {
    metrics.streamObserved("m-1", stream(7, true));
    metrics.streamObserved("m-2", stream(2, false));
    metrics.streamObserved("m-1", stream(5, true));
    assertEquals(
        5.0, registry.get(MigrationMetrics.BACKLOG).tag("migration", "m-1").gauge().value());
    assertEquals(
        2.0, registry.get(MigrationMetrics.BACKLOG).tag("migration", "m-2").gauge().value());
    assertEquals(
        4096.0, registry.get(MigrationMetrics.SPILL).tag("migration", "m-1").gauge().value());
    assertEquals(
        1.0, registry.get(MigrationMetrics.THROTTLED).tag("migration", "m-1").gauge().value());
    assertEquals(
        0.0, registry.get(MigrationMetrics.THROTTLED).tag("migration", "m-2").gauge().value());
    assertEquals(
        3.0,
        registry.get(MigrationMetrics.THROTTLE_EPISODES).tag("migration", "m-2").gauge().value());
  }

  @Test
  void aFinishedMigrationsStreamGaugesAreRemoved() {
    metrics.streamObserved("m-1", stream(7, true));
    metrics.streamObserved("m-2", stream(2, false));
    metrics.finished(report(Outcome.COMMITTED, 40)); // m-1
    assertTrue(registry.find(MigrationMetrics.BACKLOG).tag("migration", "m-1").gauges().isEmpty());
    assertEquals(1, registry.find(MigrationMetrics.SPILL).gauges().size());
    assertEquals(
        2.0, registry.get(MigrationMetrics.BACKLOG).tag("migration", "m-2").gauge().value());
  }
}
