package org.crtrmotion.ops.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.stream.javadsl.Source;
import org.crtrmotion.actors.coordinator.CancelReply;
import org.crtrmotion.actors.coordinator.MigrationClient;
import org.crtrmotion.actors.coordinator.MigrationEvent;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Phase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The migrations this node is the source of, as the API shows them: each one's latest progress, its
 * report once ended (the last {@link #KEPT_FINISHED} are kept), and its followers' event streams.
 * Every report also goes to the node's {@link MigrationMetrics}.
 */
final class NodeMigrations {
  private static final Logger log = LoggerFactory.getLogger(NodeMigrations.class);

  /** Finished migrations kept for {@code GET .../report}; the oldest go first. */
  static final int KEPT_FINISHED = 256;

  /** Events held for a slow follower; past that the follower's oldest wait is cut short. */
  static final int FOLLOWER_BUFFER = 1024;

  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  /** How long a start waits for the coordinator's id. */
  static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  /**
   * A migration id names its source node: {@code <node>-m<n>-<8 hex>} ({@code Migrations}' scheme).
   */
  private static final Pattern ID = Pattern.compile("^([A-Za-z0-9._-]+)-m\\d+-[0-9a-f]{8}$");

  private final String node;
  private final MigrationClient client;
  private final MigrationMetrics metrics;
  private final Map<String, Tracked> migrations = new LinkedHashMap<>();

  NodeMigrations(String node, MigrationClient client, MigrationMetrics metrics) {
    this.node = node;
    this.client = client;
    this.metrics = metrics;
  }

  /** The node that is the source of migration {@code id}, if the id is one. */
  static Optional<String> sourceNodeOf(String id) {
    Matcher m = ID.matcher(id);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Starts a migration of a VM running here; completes with its id. */
  CompletionStage<String> start(MigrationRequest request) {
    MigrationClient.Migration m =
        client.start(
            request.vmId(),
            request.targetNode(),
            request.parameters(),
            p -> {
              tracked(p.migrationId(), request).progressed(p);
              if (p.stream() != null) {
                metrics.streamObserved(p.migrationId(), p.stream());
              }
              observe();
            });
    m.report()
        .thenAccept(
            report -> {
              tracked(report.migrationId(), request).finished(report);
              metrics.finished(report);
              forgetOldFinished();
              observe();
              log.info(
                  "event=migration-ended migration={} vm={} target={} outcome={} reason=\"{}\""
                      + " downtimeMillis={} totalTimeMillis={}",
                  report.migrationId(),
                  report.vmId(),
                  report.targetNode(),
                  report.outcome(),
                  report.reason(),
                  report.downtimeMillis(),
                  report.totalTimeMillis());
            });
    return m.migrationId()
        .toCompletableFuture()
        .orTimeout(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .thenApply(
            id -> {
              tracked(id, request);
              observe();
              log.info(
                  "event=migration-started migration={} vm={} target={} strategy={}",
                  id,
                  request.vmId(),
                  request.targetNode(),
                  request.parameters().strategy().cliName());
              return id;
            });
  }

  Optional<Map<String, Object>> status(String id) {
    return find(id).map(Tracked::status);
  }

  /** Empty when unknown; a report only once the migration ended. */
  Optional<Optional<MigrationReport>> report(String id) {
    return find(id).map(Tracked::report);
  }

  List<Map<String, Object>> list() {
    synchronized (migrations) {
      List<Map<String, Object>> out = new ArrayList<>();
      migrations.values().forEach(t -> out.add(t.status()));
      return out;
    }
  }

  boolean knows(String id) {
    return find(id).isPresent();
  }

  CompletionStage<CancelReply> cancel(String id) {
    return client.cancel(id);
  }

  /**
   * The migration's progress as server-sent events: first where it stands, then a {@code progress}
   * event per round and phase change, and last its {@code report}, after which the stream ends.
   */
  Optional<Source<ServerSentEvent, NotUsed>> events(String id) {
    return find(id)
        .map(
            t ->
                Source.<ServerSentEvent>queue(FOLLOWER_BUFFER)
                    .mapMaterializedValue(
                        queue -> {
                          t.follow(queue);
                          return NotUsed.getInstance();
                        })
                    .keepAlive(KEEP_ALIVE, ServerSentEvent::heartbeat));
  }

  private Optional<Tracked> find(String id) {
    synchronized (migrations) {
      return Optional.ofNullable(migrations.get(id));
    }
  }

  private Tracked tracked(String id, MigrationRequest request) {
    synchronized (migrations) {
      return migrations.computeIfAbsent(id, k -> new Tracked(k, request));
    }
  }

  private void forgetOldFinished() {
    synchronized (migrations) {
      long finished = migrations.values().stream().filter(t -> t.report().isPresent()).count();
      var it = migrations.values().iterator();
      while (finished > KEPT_FINISHED && it.hasNext()) {
        if (it.next().report().isPresent()) {
          it.remove();
          finished--;
        }
      }
    }
  }

  /** Running migrations and their backlog, for the gauges. */
  private void observe() {
    List<Tracked> all;
    synchronized (migrations) {
      all = new ArrayList<>(migrations.values());
    }
    int running = 0;
    long backlog = 0;
    // Each migration's own lock is taken outside the map's: a progress update holds its own.
    for (Tracked t : all) {
      if (t.report().isEmpty()) {
        running++;
        backlog += t.latest().backlogBytes();
      }
    }
    metrics.runningObserved(running, backlog);
  }

  /** One migration from this node: its request, latest progress, report, and followers. */
  private final class Tracked {
    private final String id;
    private final MigrationRequest request;
    private final List<BoundedSourceQueue<ServerSentEvent>> followers = new ArrayList<>();
    private MigrationEvent.ProgressUpdate latest;
    private MigrationReport report;

    Tracked(String id, MigrationRequest request) {
      this.id = id;
      this.request = request;
      this.latest =
          new MigrationEvent.ProgressUpdate(id, Phase.PREPARE, 0, Long.MAX_VALUE, 0, 0, 0);
    }

    synchronized MigrationEvent.ProgressUpdate latest() {
      return latest;
    }

    synchronized Optional<MigrationReport> report() {
      return Optional.ofNullable(report);
    }

    synchronized void progressed(MigrationEvent.ProgressUpdate p) {
      if (report != null) {
        return;
      }
      latest = p;
      ServerSentEvent event = progressEvent(p);
      followers.removeIf(q -> q.offer(event) != QueueOfferResult.enqueued());
    }

    synchronized void finished(MigrationReport r) {
      report = r;
      ServerSentEvent event = reportEvent(r);
      for (BoundedSourceQueue<ServerSentEvent> q : followers) {
        q.offer(event);
        q.complete();
      }
      followers.clear();
    }

    synchronized void follow(BoundedSourceQueue<ServerSentEvent> queue) {
      if (report != null) {
        queue.offer(reportEvent(report));
        queue.complete();
        return;
      }
      if (queue.offer(progressEvent(latest)) == QueueOfferResult.enqueued()) {
        followers.add(queue);
      }
    }

    synchronized Map<String, Object> status() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("migrationId", id);
      m.put("vmId", request.vmId());
      m.put("source", node);
      m.put("target", request.targetNode());
      m.put("strategy", request.parameters().strategy().cliName());
      if (report == null) {
        Map<String, Object> progress = MigrationJson.progress(latest);
        progress.remove("migrationId");
        m.putAll(progress);
      } else {
        m.put("phase", report.outcome().name());
        m.put("round", report.rounds().size());
        m.put("expectedDowntimeMillis", MigrationJson.report(report).get("expectedDowntimeMillis"));
        m.put("bytesSent", report.bytesTotal());
        m.put("outcome", report.outcome().name());
        m.put("reason", report.reason());
      }
      return m;
    }

    private ServerSentEvent progressEvent(MigrationEvent.ProgressUpdate p) {
      return ServerSentEvent.create(
          ApiResponses.toJson(MigrationJson.progress(p)), "progress", Integer.toString(p.round()));
    }

    private ServerSentEvent reportEvent(MigrationReport r) {
      return ServerSentEvent.create(ApiResponses.toJson(MigrationJson.report(r)), "report");
    }
  }
}
