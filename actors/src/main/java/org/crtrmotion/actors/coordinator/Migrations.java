package org.crtrmotion.actors.coordinator;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.crtrmotion.actors.devices.NodeDevices;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.migration.MigrationParameters;

/**
 * The migrations of one node, registered with the receptionist under {@link #key(String)}: starts a
 * {@link SourceCoordinator} for each {@link Migrate} asked here, and a {@link TargetCoordinator}
 * for each {@link MigrationProtocol.Prepare} another node sends; cancels by migration id.
 */
public final class Migrations extends AbstractBehavior<Migrations.Command> {

  public sealed interface Command permits MigrationProtocol.ToNode, Migrate, Cancel, SourceEnded {}

  /**
   * Migrates VM {@code vmId}, which runs on this node, to node {@code targetNode}. {@code events}
   * hears {@link MigrationEvent.Started} (with the migration's id), progress, and {@link
   * MigrationEvent.Finished} with the report.
   */
  public record Migrate(
      String vmId,
      String targetNode,
      MigrationParameters parameters,
      ActorRef<MigrationEvent> events)
      implements Command {}

  /** Cancels a migration this node is the source of. */
  public record Cancel(String migrationId, ActorRef<CancelReply> replyTo) implements Command {}

  private record SourceEnded(String migrationId) implements Command {}

  /** The key node {@code node}'s migrations actor is registered under. */
  public static ServiceKey<Command> key(String node) {
    return ServiceKey.create(Command.class, "crtr-migrations-" + node);
  }

  public static Behavior<Command> create(
      String nodeName,
      ActorRef<HostAgent.Command> hostAgent,
      ActorRef<VmDirectory.Command> directory,
      CoordinatorSettings settings) {
    return create(nodeName, hostAgent, directory, settings, new NodeDevices(nodeName));
  }

  /**
   * @param devices the node's devices, shared with its host agent: a {@code Prepare} whose disks or
   *     networks this node does not have is refused saying which
   */
  public static Behavior<Command> create(
      String nodeName,
      ActorRef<HostAgent.Command> hostAgent,
      ActorRef<VmDirectory.Command> directory,
      CoordinatorSettings settings,
      NodeDevices devices) {
    return Behaviors.setup(
        ctx -> {
          ctx.getSystem().receptionist().tell(Receptionist.register(key(nodeName), ctx.getSelf()));
          return new Migrations(
              ctx, new SourceCoordinator.Node(nodeName, hostAgent, directory, settings, devices));
        });
  }

  private final SourceCoordinator.Node node;
  private final LongSupplier millisClock = () -> System.nanoTime() / 1_000_000;
  private final Map<String, ActorRef<SourceCoordinator.Command>> sources = new HashMap<>();
  private long started;

  private Migrations(ActorContext<Command> ctx, SourceCoordinator.Node node) {
    super(ctx);
    this.node = node;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Migrate.class, this::onMigrate)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(SourceEnded.class, m -> onSourceEnded(m.migrationId()))
        .onMessage(MigrationProtocol.Prepare.class, this::onPrepare)
        .build();
  }

  private Behavior<Command> onMigrate(Migrate m) {
    started++;
    // Unique in the cluster and across restarts of this node; safe in actor and stream names.
    String id = node.name() + "-m" + started + "-" + UUID.randomUUID().toString().substring(0, 8);
    ActorRef<SourceCoordinator.Command> source =
        getContext()
            .spawn(
                SourceCoordinator.create(
                    id, m.vmId(), m.targetNode(), m.parameters(), node, m.events(), millisClock),
                "source-" + id);
    getContext().watchWith(source, new SourceEnded(id));
    sources.put(id, source);
    return this;
  }

  private Behavior<Command> onCancel(Cancel m) {
    ActorRef<SourceCoordinator.Command> source = sources.get(m.migrationId());
    if (source == null) {
      m.replyTo()
          .tell(
              new CancelReply.Refused(
                  m.migrationId(),
                  "no migration " + m.migrationId() + " runs from node " + node.name()));
    } else {
      source.tell(new SourceCoordinator.Cancel(m.replyTo()));
    }
    return this;
  }

  private Behavior<Command> onSourceEnded(String migrationId) {
    sources.remove(migrationId);
    return this;
  }

  private Behavior<Command> onPrepare(MigrationProtocol.Prepare m) {
    String refusal = TargetCoordinator.refusal(m, node.devices());
    String name = "target-" + m.migrationId();
    if (refusal == null && getContext().getChild(name).isPresent()) {
      refusal = "migration " + m.migrationId() + " is already prepared here";
    }
    if (refusal != null) {
      m.source().tell(new MigrationProtocol.Refused(m.migrationId(), refusal));
      return this;
    }
    getContext().spawn(TargetCoordinator.create(m, node), name);
    return this;
  }
}
