package org.crtrmotion.actors.coordinator;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.MigrationReport;

/**
 * Live migration from plain Java, no Scala types in sight: the entry point of the node a VM runs
 * on.
 *
 * <pre>{@code
 * MigrationClient client = new MigrationClient(system, migrations); // this node's Migrations
 * MigrationClient.Migration m =
 *     client.start("a-vm-1", "b", MigrationParameters.defaults(Strategy.CRTR),
 *         p -> System.out.println(p.phase() + " round " + p.round()));
 * String id = m.migrationId().toCompletableFuture().join();   // for cancel(id)
 * MigrationReport report = m.report().toCompletableFuture().join();
 * if (report.outcome() == Outcome.ABORTED) System.out.println(report.reason());
 * }</pre>
 *
 * A report always comes: committed, or aborted with the reason (the source then still runs).
 */
public final class MigrationClient {
  private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(10);

  private final ActorSystem<?> system;
  private final ActorRef<Migrations.Command> migrations;

  /**
   * @param migrations the {@link Migrations} actor of the node the VMs to migrate run on
   */
  public MigrationClient(ActorSystem<?> system, ActorRef<Migrations.Command> migrations) {
    this.system = Objects.requireNonNull(system, "system");
    this.migrations = Objects.requireNonNull(migrations, "migrations");
  }

  /** A migration under way: its id once known, its report once ended. */
  public record Migration(
      CompletionStage<String> migrationId, CompletionStage<MigrationReport> report) {}

  /** Migrates {@code vmId} to node {@code targetNode}; the stage completes with the report. */
  public CompletionStage<MigrationReport> migrate(
      String vmId, String targetNode, MigrationParameters parameters) {
    return start(vmId, targetNode, parameters, p -> {}).report();
  }

  /**
   * As {@link #migrate}, with each progress update (phase, round, expected downtime, bytes, lag)
   * given to {@code onProgress} on an actor's thread: keep it short.
   */
  public Migration start(
      String vmId,
      String targetNode,
      MigrationParameters parameters,
      Consumer<MigrationEvent.ProgressUpdate> onProgress) {
    CompletableFuture<String> id = new CompletableFuture<>();
    CompletableFuture<MigrationReport> report = new CompletableFuture<>();
    Behavior<MigrationEvent> listener =
        Behaviors.receiveMessage(
            event -> {
              if (event instanceof MigrationEvent.Started s) {
                id.complete(s.migrationId());
              } else if (event instanceof MigrationEvent.ProgressUpdate p) {
                onProgress.accept(p);
              } else if (event instanceof MigrationEvent.Finished f) {
                id.complete(f.migrationId());
                report.complete(f.report());
                return Behaviors.stopped();
              }
              return Behaviors.same();
            });
    ActorRef<MigrationEvent> events =
        system.systemActorOf(
            listener, "migration-client-" + java.util.UUID.randomUUID(), Props.empty());
    migrations.tell(new Migrations.Migrate(vmId, targetNode, parameters, events));
    return new Migration(id, report);
  }

  /** Cancels migration {@code migrationId}: accepted (its report says ABORTED) or refused. */
  public CompletionStage<CancelReply> cancel(String migrationId) {
    return AskPattern.ask(
        migrations, r -> new Migrations.Cancel(migrationId, r), CANCEL_TIMEOUT, system.scheduler());
  }
}
