package org.crtrmotion.actors.directory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.wire.ClusterMessage;

/**
 * Where each VM lives. Every VM has an epoch: 1 when registered, +1 at every move. A move is a
 * compare-and-set on (owner, epoch), so of two movers that read the same epoch only one wins, and
 * an owner whose epoch is stale is fenced: it has lost the VM and must not run it.
 *
 * <p>One instance per cluster, a cluster singleton ({@link #init}), so that every decision is taken
 * in one place in one order. Its table lives in the singleton's memory: when the singleton moves to
 * another node (its node left or was downed) the new one starts empty and rebuilds it from the host
 * agents: it asks every host agent the receptionist lists, now and as they come ({@link
 * HostAgent.ClaimVms}), and each claims the VMs it runs live at the epoch it knows ({@link Claim}).
 */
public final class VmDirectory extends AbstractBehavior<VmDirectory.Command> {

  public sealed interface Command permits Register, Lookup, Move, Claim, HostAgents {}

  /**
   * Records a new VM on {@code node} at epoch 1; refused when another node holds the id (the same
   * node is answered where the VM is: its host agent may have claimed it first).
   */
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

  /**
   * {@code node} runs the VM live and last knew it at {@code epoch}: taken when the VM is unknown
   * or known at an older epoch, answered as it stands when it says the same, else refused (the
   * claimant is stale and fenced).
   */
  public record Claim(String vmId, String node, long epoch, ActorRef<Reply> replyTo)
      implements Command, ClusterMessage {}

  private record HostAgents(Receptionist.Listing listing) implements Command {}

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
  private final Set<ActorRef<HostAgent.Command>> asked = new HashSet<>();

  private VmDirectory(ActorContext<Command> ctx) {
    super(ctx);
    ctx.getSystem()
        .receptionist()
        .tell(
            Receptionist.subscribe(
                HostAgent.KEY, ctx.messageAdapter(Receptionist.Listing.class, HostAgents::new)));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Register.class, this::onRegister)
        .onMessage(Lookup.class, this::onLookup)
        .onMessage(Move.class, this::onMove)
        .onMessage(Claim.class, this::onClaim)
        .onMessage(HostAgents.class, this::onHostAgents)
        .build();
  }

  /** Every host agent is asked once per directory incarnation, when it is first listed. */
  private Behavior<Command> onHostAgents(HostAgents m) {
    Set<ActorRef<HostAgent.Command>> listed = m.listing().getServiceInstances(HostAgent.KEY);
    asked.retainAll(listed);
    for (ActorRef<HostAgent.Command> agent : listed) {
      if (asked.add(agent)) {
        agent.tell(new HostAgent.ClaimVms(getContext().getSelf()));
      }
    }
    return this;
  }

  private Behavior<Command> onClaim(Claim m) {
    Location known = locations.get(m.vmId());
    if (known == null || known.epoch() < m.epoch()) {
      Location claimed = new Location(m.vmId(), m.node(), m.epoch());
      locations.put(m.vmId(), claimed);
      m.replyTo().tell(claimed);
    } else if (known.epoch() == m.epoch() && known.node().equals(m.node())) {
      m.replyTo().tell(known);
    } else {
      m.replyTo()
          .tell(
              new Refusal(
                  m.vmId(),
                  String.format(
                      "stale claim of %s by %s at epoch %d: %s",
                      m.vmId(), m.node(), m.epoch(), describe(known))));
    }
    return this;
  }

  private Behavior<Command> onRegister(Register m) {
    Location known = locations.get(m.vmId());
    if (known != null && known.node().equals(m.node())) {
      m.replyTo().tell(known);
      return this;
    }
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
