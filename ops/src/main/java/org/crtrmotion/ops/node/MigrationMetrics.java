package org.crtrmotion.ops.node;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.crtrmotion.actors.migration.BytesByKind;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.streams.StreamMetrics;

/**
 * The migration meters, named after QEMU's {@code info migrate} where it has a counterpart: the
 * migration code hands each finished {@link MigrationReport} to {@link #finished} and each reliable
 * stream's state to {@link #streamObserved}; the node's {@code /metrics} shows them.
 */
public final class MigrationMetrics {
  static final String MIGRATIONS = "crtr.migrations";
  static final String DOWNTIME = "crtr.migration.downtime";
  static final String TOTAL_TIME = "crtr.migration.total.time";
  static final String BYTES = "crtr.migration.bytes";
  static final String BACKLOG = "crtr.stream.backlog.frames";
  static final String SPILL = "crtr.stream.spill.bytes";
  static final String RUNNING = "crtr.migrations.running";
  static final String BACKLOG_BYTES = "crtr.migration.backlog.bytes";
  static final String THROTTLED = "crtr.stream.throttled";
  static final String THROTTLE_EPISODES = "crtr.stream.throttle.episodes";

  private final MeterRegistry registry;
  private final AtomicLong running = new AtomicLong();
  private final AtomicLong backlogBytes = new AtomicLong();
  private final Map<String, StreamGauges> streams = new ConcurrentHashMap<>();

  MigrationMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge(RUNNING, running);
    registry.gauge(BACKLOG_BYTES, backlogBytes);
  }

  /** Migrations under way from this node and what their targets have not acknowledged yet. */
  public void runningObserved(int migrations, long unacknowledgedBytes) {
    running.set(migrations);
    backlogBytes.set(unacknowledgedBytes);
  }

  /** Counts a finished migration by outcome and strategy, its times and its bytes by kind. */
  public void finished(MigrationReport report) {
    StreamGauges stream = streams.remove(report.migrationId());
    if (stream != null) {
      stream.remove();
    }
    String strategy = report.strategy().name().toLowerCase();
    Counter.builder(MIGRATIONS)
        .description("migrations finished, by outcome")
        .tag("outcome", report.outcome().name().toLowerCase())
        .tag("strategy", strategy)
        .register(registry)
        .increment();
    timer(DOWNTIME, "source paused to target live", strategy)
        .record(Duration.ofMillis(report.downtimeMillis()));
    timer(TOTAL_TIME, "start to commit or abort", strategy)
        .record(Duration.ofMillis(report.totalTimeMillis()));
    BytesByKind bytes = report.bytesByKind();
    bytes("checkpoint", bytes.checkpoint());
    bytes("trace", bytes.trace());
    bytes("pages", bytes.pages());
    bytes("control", bytes.control());
  }

  /**
   * The latest state of migration {@code migrationId}'s reliable stream (backlog, spill, throttle),
   * shown as gauges tagged with its id until the migration finishes.
   */
  public void streamObserved(String migrationId, StreamMetrics.Reliability reliability) {
    streams.computeIfAbsent(migrationId, id -> new StreamGauges(registry, id)).set(reliability);
  }

  private Timer timer(String name, String description, String strategy) {
    return Timer.builder(name)
        .description(description)
        .tag("strategy", strategy)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(10))
        .register(registry);
  }

  private void bytes(String kind, long count) {
    Counter.builder(BYTES)
        .description("bytes migrations moved, by kind")
        .baseUnit("bytes")
        .tag("kind", kind)
        .register(registry)
        .increment(count);
  }
}
