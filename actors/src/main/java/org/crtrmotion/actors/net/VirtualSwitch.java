package org.crtrmotion.actors.net;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * One node's part of a cluster network: a learning switch whose ports are this node's VM NICs (by
 * MAC) and gateways, joined to the same network's switch on every other node (found through the
 * receptionist). A frame for a local MAC is delivered here; for a MAC learned at another node it
 * goes there; broadcasts and unknown destinations are flooded to every node. A frame from another
 * node is delivered here only, never flooded on (the nodes are a full mesh), except along a
 * migrated VM's forwarding pointer.
 *
 * <p>A VM's port follows it across a migration: the target's copy gets a standby port (frames
 * handed to it wait in its queue); at the commit the source's switch hands the port's held frames
 * to the target's and points the MAC there; when the copy goes live its switch activates the port
 * and announces the MAC with a gratuitous ARP, so every switch re-learns where it is.
 */
public final class VirtualSwitch extends AbstractBehavior<VirtualSwitch.Command> {

  public sealed interface Command
      permits Attach,
          Detach,
          FromPort,
          Activate,
          HandOver,
          FrameFromPeer,
          HeldFrames,
          ListingArrived {}

  /** Plugs a port in; a standby one gets only frames handed to it until {@link Activate}. */
  record Attach(LocalPort port, boolean standby) implements Command {}

  record Detach(LocalPort port) implements Command {}

  /** A frame a local port sent. */
  record FromPort(long mac, byte[] frame) implements Command {}

  /** The VM behind the standby port {@code mac} went live here. */
  record Activate(long mac) implements Command {}

  /** The VM behind port {@code mac} now lives on {@code targetNode}: hand its held frames there. */
  record HandOver(long mac, String targetNode) implements Command {}

  /**
   * A frame from the same network's switch on another node.
   *
   * @param flooded sent to every node (broadcast, unknown destination): only active ports take it,
   *     so a migration's standby copy never gets a frame its source also gets
   */
  public record FrameFromPeer(String network, byte[] frame, ActorRef<Command> from, boolean flooded)
      implements Command, SwitchMessage {}

  /**
   * A migrated VM's frames, held by the source's port between the freeze and the commit.
   *
   * @param ip the address the guest last sent from (0.0.0.0 if none): its announcement's
   */
  public record HeldFrames(String network, long mac, List<byte[]> frames, byte[] ip)
      implements Command, SwitchMessage {
    public HeldFrames {
      frames = List.copyOf(frames);
    }
  }

  /** Every listing (one adapter per message class): the peers, or a hand-over's target found. */
  private record ListingArrived(Receptionist.Listing listing) implements Command {}

  /** Every node's switch of {@code network}. */
  public static ServiceKey<Command> networkKey(String network) {
    return ServiceKey.create(Command.class, "crtr-switch-" + network);
  }

  /** Node {@code node}'s switch of {@code network}. */
  public static ServiceKey<Command> nodeKey(String network, String node) {
    return ServiceKey.create(Command.class, "crtr-switch-" + network + "@" + node);
  }

  public static Behavior<Command> create(String network, String node) {
    return Behaviors.setup(
        ctx -> {
          var receptionist = ctx.getSystem().receptionist();
          receptionist.tell(Receptionist.register(networkKey(network), ctx.getSelf()));
          receptionist.tell(Receptionist.register(nodeKey(network, node), ctx.getSelf()));
          ActorRef<Receptionist.Listing> listings =
              ctx.messageAdapter(Receptionist.Listing.class, ListingArrived::new);
          receptionist.tell(Receptionist.subscribe(networkKey(network), listings));
          return new VirtualSwitch(ctx, network, listings);
        });
  }

  private final String network;
  private final Map<Long, LocalPort> active = new HashMap<>();
  private final Map<Long, SwitchPort> standby = new HashMap<>();
  private final Map<Long, SwitchPort> leaving =
      new HashMap<>(); // handed over, target not found yet
  private final Map<Long, ActorRef<Command>> remote = new HashMap<>(); // learned
  private final Map<Long, ActorRef<Command>> moved = new HashMap<>(); // forwarding pointers
  private final Map<Long, byte[]> announcedIp = new HashMap<>();
  private final Map<String, List<Long>> handOvers = new HashMap<>(); // target node -> MACs
  private final ActorRef<Receptionist.Listing> listings;
  private Set<ActorRef<Command>> peers = Set.of();

  private VirtualSwitch(
      ActorContext<Command> ctx, String network, ActorRef<Receptionist.Listing> listings) {
    super(ctx);
    this.network = network;
    this.listings = listings;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Attach.class, this::onAttach)
        .onMessage(Detach.class, this::onDetach)
        .onMessage(FromPort.class, this::onFromPort)
        .onMessage(FrameFromPeer.class, this::onFromPeer)
        .onMessage(Activate.class, this::onActivate)
        .onMessage(HandOver.class, this::onHandOver)
        .onMessage(HeldFrames.class, this::onHeld)
        .onMessage(ListingArrived.class, this::onListing)
        .build();
  }

  private Behavior<Command> onAttach(Attach m) {
    long mac = m.port().mac();
    moved.remove(mac); // it is here again
    if (m.standby() && m.port() instanceof SwitchPort p) {
      standby.put(mac, p);
    } else {
      active.put(mac, m.port());
      remote.remove(mac);
    }
    return this;
  }

  private Behavior<Command> onDetach(Detach m) {
    long mac = m.port().mac();
    active.remove(mac, m.port());
    standby.remove(mac, m.port());
    // A leaving port stays until its held frames are handed over: the VM stops right after commit.
    return this;
  }

  private Behavior<Command> onFromPort(FromPort m) {
    byte[] f = m.frame();
    long dst = EthernetFrames.destination(f);
    if (EthernetFrames.toGroup(f)) {
      deliverToAll(f, m.mac());
      flood(f);
    } else if (active.containsKey(dst)) {
      active.get(dst).deliver(f);
    } else if (leaving.containsKey(dst)) {
      leaving.get(dst).deliver(f);
    } else if (remote.containsKey(dst)) {
      remote.get(dst).tell(new FrameFromPeer(network, f, getContext().getSelf(), false));
    } else {
      flood(f);
    }
    return this;
  }

  private Behavior<Command> onFromPeer(FrameFromPeer m) {
    byte[] f = m.frame();
    if (!EthernetFrames.wellFormed(f)) {
      return this;
    }
    long src = EthernetFrames.source(f);
    if (!active.containsKey(src) && !m.from().equals(getContext().getSelf())) {
      remote.put(src, m.from());
    }
    long dst = EthernetFrames.destination(f);
    if (EthernetFrames.toGroup(f)) {
      deliverToAll(f, src);
    } else if (m.flooded()) {
      if (active.containsKey(dst)) {
        active.get(dst).deliver(f);
      }
    } else if (active.containsKey(dst)) {
      active.get(dst).deliver(f);
    } else if (leaving.containsKey(dst)) {
      leaving.get(dst).deliver(f);
    } else if (standby.containsKey(dst)) {
      standby.get(dst).deliver(f);
    } else if (moved.containsKey(dst)) {
      moved.get(dst).tell(new FrameFromPeer(network, f, m.from(), false));
    } else {
      getContext()
          .getLog()
          .warn("network {}: no port for {}, frame dropped", network, Long.toHexString(dst));
    }
    return this;
  }

  private Behavior<Command> onActivate(Activate m) {
    SwitchPort p = standby.remove(m.mac());
    if (p == null) {
      return this;
    }
    active.put(m.mac(), p);
    remote.remove(m.mac());
    moved.remove(m.mac());
    byte[] ip = announcedIp.getOrDefault(m.mac(), p.lastIp());
    byte[] mac = new byte[6];
    for (int i = 0; i < 6; i++) {
      mac[i] = (byte) (m.mac() >>> (40 - 8 * i));
    }
    byte[] garp = EthernetFrames.gratuitousArp(mac, ip);
    deliverToAll(garp, m.mac());
    flood(garp);
    return this;
  }

  private Behavior<Command> onHandOver(HandOver m) {
    LocalPort p = active.remove(m.mac());
    if (p instanceof SwitchPort port) {
      leaving.put(m.mac(), port);
    }
    handOvers.computeIfAbsent(m.targetNode(), n -> new java.util.ArrayList<>()).add(m.mac());
    getContext()
        .getSystem()
        .receptionist()
        .tell(Receptionist.find(nodeKey(network, m.targetNode()), listings));
    return this;
  }

  private Behavior<Command> onListing(ListingArrived m) {
    Receptionist.Listing l = m.listing();
    if (l.isForKey(networkKey(network))) {
      return onPeers(l);
    }
    for (String node : List.copyOf(handOvers.keySet())) {
      if (l.isForKey(nodeKey(network, node))) {
        handOver(node, l.getServiceInstances(nodeKey(network, node)));
      }
    }
    return this;
  }

  private void handOver(String node, Set<ActorRef<Command>> found) {
    for (long mac : handOvers.remove(node)) {
      SwitchPort port = leaving.remove(mac);
      if (port == null) {
        continue;
      }
      if (found.isEmpty()) {
        getContext()
            .getLog()
            .warn("network {}: no switch on node {}, held frames lost", network, node);
        continue;
      }
      ActorRef<Command> target = found.iterator().next();
      moved.put(mac, target);
      remote.put(mac, target);
      target.tell(new HeldFrames(network, mac, port.takeHeld(), port.lastIp()));
    }
  }

  private Behavior<Command> onHeld(HeldFrames m) {
    announcedIp.put(m.mac(), m.ip());
    LocalPort to = active.containsKey(m.mac()) ? active.get(m.mac()) : standby.get(m.mac());
    if (to instanceof SwitchPort port) {
      port.handOverArrived(m.frames());
    } else {
      getContext()
          .getLog()
          .warn(
              "network {}: no port for held frames of {}, {} dropped",
              network,
              Long.toHexString(m.mac()),
              m.frames().size());
    }
    return this;
  }

  private Behavior<Command> onPeers(Receptionist.Listing listing) {
    Set<ActorRef<Command>> all = new HashSet<>(listing.getServiceInstances(networkKey(network)));
    all.remove(getContext().getSelf());
    peers = all;
    remote.values().removeIf(r -> !peers.contains(r));
    moved.values().removeIf(r -> !peers.contains(r));
    return this;
  }

  private void deliverToAll(byte[] f, long except) {
    active.forEach(
        (mac, port) -> {
          if (mac != except) {
            port.deliver(f);
          }
        });
  }

  private void flood(byte[] f) {
    FrameFromPeer out = new FrameFromPeer(network, f, getContext().getSelf(), true);
    peers.forEach(p -> p.tell(out));
  }
}
