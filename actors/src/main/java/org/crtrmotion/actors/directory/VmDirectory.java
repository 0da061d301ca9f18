package org.crtrmotion.actors.directory;

import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.crtrmotion.actors.wire.ClusterMessage;

/**
 * Where each VM lives. Every VM has an epoch: 1 when registered, +1 at every move. A move is a
 * compare-and-set on (owner, epoch), so of two movers that read the same epoch only one wins, and
 * an owner whose epoch is stale is fenced: it has lost the VM and must not run it.
 *
 * <p>One instance per cluster, a cluster singleton ({@link #init}), so that every decision is taken
 * in one place in one order. Its table lives in the singleton's memory: when the singleton moves to
 * another node (its node left or was downed) the table starts empty; replicating it (distributed
 * data, or rebuilding it from the host agents) is still to come.
 */
public final class VmDirectory extends AbstractBehavior<VmDirectory.Command> {

  public sealed interface Command permits Register, Lookup, Move {}

  /** Records a new VM on {@code node} at epoch 1; refused when the id is taken. */
  public record Register(String vmId, String node, ActorRef<Reply> replyTo)
      implements Command, ClusterMessage {}

  /** Where the VM lives now. */
  public record Lookup(String vmId, ActorRef<Reply> replyTo) implements Command, ClusterMessage {}

  /**
   * Moves a VM from {@code fromNode} to {@code toNode} if it is still there at {@code
   * expectedEpoch}; the commit point of a migration.
   */
  public record Move(
      String vmId, String fromNode, long expectedEpoch, String toNode, ActorRef<Reply> replyTo)
      implements Command, ClusterMessage {}

  public sealed interface Reply permits Location, Refusal {}

  /** The VM lives on {@code node} since {@code epoch}. */
  public record Location(String vmId, String node, long epoch) implements Reply, ClusterMessage {}

  /** The request was refused; the reason names what the directory holds. */
  public record Refusal(String vmId, String reason) implements Reply, ClusterMessage {}

  /** The singleton's name in the cluster. */
  public static final String NAME = "crtr-vm-directory";

  /** Starts the singleton (if this node is its oldest) and returns a proxy to it: any node. */
  public static ActorRef<Command> init(ActorSystem<?> system) {
    return ClusterSingleton.get(system).init(SingletonActor.of(create(), NAME));
  }

  public static Behavior<Command> create() {
    return Behaviors.setup(VmDirectory::new);
  }

  private final Map<String, Location> locations = new HashMap<>();

  private VmDirectory(ActorContext<Command> ctx) {
    super(ctx);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Register.class, this::onRegister)
        .onMessage(Lookup.class, this::onLookup)
        .onMessage(Move.class, this::onMove)
        .build();
  }

  private Behavior<Command> onRegister(Register m) {
    Location known = locations.get(m.vmId());
    if (known != null) {
      m.replyTo().tell(new Refusal(m.vmId(), "already registered: " + describe(known)));
      return this;
    }
    Location location = new Location(m.vmId(), m.node(), 1);
    locations.put(m.vmId(), location);
    m.replyTo().tell(location);
    return this;
  }

  private Behavior<Command> onLookup(Lookup m) {
    Location known = locations.get(m.vmId());
    m.replyTo().tell(known != null ? known : new Refusal(m.vmId(), "unknown VM " + m.vmId()));
    return this;
  }

  private Behavior<Command> onMove(Move m) {
    Location known = locations.get(m.vmId());
    if (known == null) {
      m.replyTo().tell(new Refusal(m.vmId(), "unknown VM " + m.vmId()));
    } else if (known.epoch() != m.expectedEpoch() || !known.node().equals(m.fromNode())) {
      m.replyTo()
          .tell(
              new Refusal(
                  m.vmId(),
                  String.format(
                      "stale move of %s from %s at epoch %d: %s",
                      m.vmId(), m.fromNode(), m.expectedEpoch(), describe(known))));
    } else {
      Location moved = new Location(m.vmId(), m.toNode(), known.epoch() + 1);
      locations.put(m.vmId(), moved);
      m.replyTo().tell(moved);
    }
    return this;
  }

  private static String describe(Location l) {
    return l.vmId() + " lives on " + l.node() + " at epoch " + l.epoch();
  }
}
