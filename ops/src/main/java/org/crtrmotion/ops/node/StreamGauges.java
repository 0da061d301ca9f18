package org.crtrmotion.ops.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.crtrmotion.streams.StreamMetrics;

/**
 * One running migration's stream gauges, tagged with its id: with several migrations at once, a
 * dashboard must tell which one is backing up or spilling. Removed when the migration ends, so a
 * finished migration leaves no stale series behind.
 */
final class StreamGauges {
  private final MeterRegistry registry;
  private final AtomicLong backlogFrames = new AtomicLong();
  private final AtomicLong spillBytes = new AtomicLong();
  private final AtomicLong throttled = new AtomicLong();
  private final AtomicLong throttleEpisodes = new AtomicLong();
  private final List<Meter> meters;

  StreamGauges(MeterRegistry registry, String migrationId) {
    this.registry = registry;
    this.meters =
        List.of(
            gauge(
                MigrationMetrics.BACKLOG,
                "frames sent, not yet acknowledged",
                migrationId,
                backlogFrames),
            gauge(
                MigrationMetrics.SPILL,
                "bytes of the backlog spilled to disk",
                migrationId,
                spillBytes),
            gauge(
                MigrationMetrics.THROTTLED,
                "1 while the stream asks the VM to slow down",
                migrationId,
                throttled),
            gauge(
                MigrationMetrics.THROTTLE_EPISODES,
                "times the stream asked the VM to slow down",
                migrationId,
                throttleEpisodes));
  }

  void set(StreamMetrics.Reliability reliability) {
    backlogFrames.set(reliability.backlogFrames());
    spillBytes.set(reliability.spillBytes());
    throttled.set(reliability.throttled() ? 1 : 0);
    throttleEpisodes.set(reliability.throttleEpisodes());
  }

  void remove() {
    meters.forEach(registry::remove);
  }

  private Meter gauge(String name, String description, String migrationId, AtomicLong value) {
    return Gauge.builder(name, value, AtomicLong::doubleValue)
        .description(description)
        .tag("migration", migrationId)
        .register(registry);
  }
}
