package org.crtrmotion.actors.embedded;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.crtrmotion.actors.coordinator.CoordinatorSettings;
import org.crtrmotion.actors.coordinator.MigrationClient;
import org.crtrmotion.actors.coordinator.Migrations;
import org.crtrmotion.actors.devices.NodeDevices;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.net.SwitchNetwork;
import org.crtrmotion.actors.net.VirtualSwitch;
import org.crtrmotion.cluster.NodeConfig;
import org.crtrmotion.cluster.NodeSettings;

/**
 * A cluster of several nodes in this JVM, each built as a real node is (through {@link NodeConfig},
 * Artery on 127.0.0.1 with a free port, Java serialization off, so every message between nodes
 * crosses the wire serializers): its own actor system, host agent, the VM directory's proxy, its
 * {@link Migrations} and a {@link MigrationClient}. The first node is the seed the others join.
 * {@link #start} returns once every node finds every other's migrations through the receptionist.
 */
public final class EmbeddedCluster implements AutoCloseable {
  private static final Duration STARTUP = Duration.ofSeconds(60);

  /** One node of the cluster. */
  public record Node(
      String name,
      ActorSystem<Void> system,
      ActorRef<HostAgent.Command> hostAgent,
      ActorRef<VmDirectory.Command> directory,
      ActorRef<Migrations.Command> migrations,
      MigrationClient client,
      NodeDevices devices,
      ActorRef<VirtualSwitch.Command> lanSwitch) {}

  /** The cluster network every node has a switch of; VM NICs attach to it by this name. */
  public static final String NETWORK = "lan";

  private final Map<String, Node> nodes;

  private EmbeddedCluster(Map<String, Node> nodes) {
    this.nodes = nodes;
  }

  /**
   * Starts nodes named {@code names} (the first is the seed), each allowed {@code maxMemoryBytes}
   * of guest memory.
   *
   * @throws IllegalStateException when a node does not come up within a minute
   */
  public static EmbeddedCluster start(
      List<String> names, long maxMemoryBytes, CoordinatorSettings coordinatorSettings) {
    return start(names, maxMemoryBytes, name -> coordinatorSettings);
  }

  /**
   * As {@link #start(List, long, CoordinatorSettings)}, each node with its own coordinator settings
   * (the fault simulator gives each node its own {@code MigrationFaults}).
   */
  public static EmbeddedCluster start(
      List<String> names,
      long maxMemoryBytes,
      Function<String, CoordinatorSettings> coordinatorSettingsOf) {
    Map<String, Node> nodes = new LinkedHashMap<>();
    EmbeddedCluster cluster = new EmbeddedCluster(nodes);
    try {
      for (String name : names) {
        nodes.put(name, startNode(name, maxMemoryBytes, coordinatorSettingsOf.apply(name)));
      }
      Node seed = nodes.get(names.get(0));
      org.apache.pekko.actor.Address seedAddress =
          Cluster.get(seed.system()).selfMember().address();
      // The seed is Up alone first, so that it is the oldest member and holds the cluster
      // singletons (the VM directory): joined together, the oldest would be the lowest port.
      Cluster.get(seed.system()).manager().tell(Join.create(seedAddress));
      awaitSelfUp(seed);
      for (Node n : nodes.values()) {
        if (n != seed) {
          Cluster.get(n.system()).manager().tell(Join.create(seedAddress));
        }
      }
      for (Node n : nodes.values()) {
        for (String other : names) {
          awaitMigrationsOf(n, other);
        }
        awaitListing(n, VirtualSwitch.networkKey(NETWORK), names.size());
      }
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static Node startNode(
      String name, long maxMemoryBytes, CoordinatorSettings coordinatorSettings) {
    NodeConfig config =
        NodeConfig.parse(
            """
crtr.node {
  name = "%s"
  roles = ["host"]
  bind { host = "127.0.0.1", port = 0 }
  limits { max-vms = 4, max-memory = %d }
}
pekko.loglevel = WARNING
# stdout carries the demo's report (--json); Pekko's fallback logger must not write there.
pekko.stdout-loglevel = OFF
pekko.actor.allow-java-serialization = off
pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
# The cluster ends with this object's close(), not with the JVM's shutdown hook.
pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
pekko.cluster.run-coordinated-shutdown-when-down = off
# terminate() alone ends a node as a crash would, without leaving (crash()); stopGracefully() and
# close() run the coordinated shutdown themselves.
pekko.coordinated-shutdown.run-by-actor-system-terminate = off
"""
                .formatted(name, maxMemoryBytes));
    NodeSettings settings = config.settings();
    NodeDevices devices = new NodeDevices(name);
    CompletableFuture<ActorRef<HostAgent.Command>> hostAgent = new CompletableFuture<>();
    ActorSystem<Void> system =
        ActorSystem.create(
            Behaviors.setup(
                ctx -> {
                  hostAgent.complete(ctx.spawn(HostAgent.create(settings, devices), "host-agent"));
                  return Behaviors.empty();
                }),
            NodeSettings.SYSTEM_NAME,
            config.config());
    try {
      ActorRef<HostAgent.Command> agent = hostAgent.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
      ActorRef<VmDirectory.Command> directory = VmDirectory.init(system);
      ActorRef<Migrations.Command> migrations =
          system.systemActorOf(
              Migrations.create(name, agent, directory, coordinatorSettings, devices),
              "migrations",
              Props.empty());
      ActorRef<VirtualSwitch.Command> lan =
          system.systemActorOf(
              VirtualSwitch.create(NETWORK, name), "switch-" + NETWORK, Props.empty());
      devices.addNetwork(NETWORK, new SwitchNetwork(lan));
      return new Node(
          name,
          system,
          agent,
          directory,
          migrations,
          new MigrationClient(system, migrations),
          devices,
          lan);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("node " + name + " did not start: " + e, e);
    }
  }

  private static void awaitSelfUp(Node node) {
    CompletableFuture<Void> up = new CompletableFuture<>();
    ActorRef<SelfUp> watcher =
        node.system()
            .systemActorOf(
                Behaviors.receiveMessage(
                    (SelfUp e) -> {
                      up.complete(null);
                      return Behaviors.stopped();
                    }),
                "await-self-up-" + System.nanoTime(),
                Props.empty());
    Cluster.get(node.system()).subscriptions().tell(Subscribe.create(watcher, SelfUp.class));
    try {
      up.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node " + node.name() + " was not up within " + STARTUP, e);
    }
  }

  /** Waits for {@code node}'s receptionist to list node {@code other}'s migrations. */
  private static void awaitMigrationsOf(Node node, String other) {
    awaitListing(node, Migrations.key(other), 1);
  }

  /** Waits for {@code node}'s receptionist to list {@code count} services under {@code key}. */
  private static void awaitListing(Node node, ServiceKey<?> key, int count) {
    CompletableFuture<Void> listed = new CompletableFuture<>();
    Behavior<Receptionist.Listing> watcher =
        Behaviors.receiveMessage(
            listing -> {
              if (listing.getServiceInstances(key).size() < count) {
                return Behaviors.same();
              }
              listed.complete(null);
              return Behaviors.stopped();
            });
    ActorRef<Receptionist.Listing> ref =
        node.system().systemActorOf(watcher, "await-listing-" + System.nanoTime(), Props.empty());
    node.system().receptionist().tell(Receptionist.subscribe(key, ref));
    try {
      listed.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(
          "node "
              + node.name()
              + " did not find "
              + count
              + " of "
              + key.id()
              + " within "
              + STARTUP,
          e);
    }
  }

  public Node node(String name) {
    Node n = nodes.get(name);
    if (n == null) {
      throw new IllegalArgumentException("no node " + name + " in this cluster: " + nodes.keySet());
    }
    return n;
  }

  public List<Node> nodes() {
    return new ArrayList<>(nodes.values());
  }

  /** True until the node is stopped, crashed or closed. */
  public boolean isRunning(String name) {
    return !node(name).system().whenTerminated().isCompleted();
  }

  /** The port node {@code name}'s remoting is bound to. */
  public int port(String name) {
    return (Integer) Cluster.get(node(name).system()).selfMember().address().getPort().get();
  }

  /**
   * Stops node {@code name} as an operator would: it leaves the cluster (its singletons hand over),
   * its actors stop (their {@code PostStop} runs), then its actor system terminates.
   */
  public void stopGracefully(String name) {
    ActorSystem<Void> system = node(name).system();
    CoordinatedShutdown.get(system).runAll(CoordinatedShutdown.unknownReason());
    awaitTerminated(system);
  }

  /**
   * The closest this JVM has to a node lost abruptly: its actor system ends without leaving the
   * cluster (no coordinated shutdown: its actors and remoting just stop), then another node downs
   * it at once, as the split brain resolver would after failure detection and its stable-after. Its
   * VMs are lost with it. (Downing it first and ending it after would let it hear that it is down
   * and quarantine the others, which then down themselves: not what a crash does.)
   */
  public void crash(String name) {
    Node victim = node(name);
    org.apache.pekko.actor.Address address = Cluster.get(victim.system()).selfMember().address();
    victim.system().terminate();
    awaitTerminated(victim.system());
    Node survivor =
        nodes.values().stream()
            .filter(n -> n != victim && !n.system().whenTerminated().isCompleted())
            .findFirst()
            .orElse(null);
    if (survivor == null) {
      return;
    }
    CompletableFuture<Void> removed = new CompletableFuture<>();
    ActorRef<ClusterEvent.MemberRemoved> watcher =
        survivor
            .system()
            .systemActorOf(
                Behaviors.receiveMessage(
                    (ClusterEvent.MemberRemoved e) -> {
                      if (e.member().address().equals(address)) {
                        removed.complete(null);
                        return Behaviors.stopped();
                      }
                      return Behaviors.same();
                    }),
                "await-removed-" + name + "-" + System.nanoTime(),
                Props.empty());
    Cluster.get(survivor.system())
        .subscriptions()
        .tell(Subscribe.create(watcher, ClusterEvent.MemberRemoved.class));
    Cluster.get(survivor.system()).manager().tell(new Down(address));
    try {
      removed.get(STARTUP.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("node " + name + " was not removed within " + STARTUP, e);
    }
  }

  private static void awaitTerminated(ActorSystem<Void> system) {
    try {
      system.getWhenTerminated().toCompletableFuture().get(STARTUP.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("a node did not terminate within " + STARTUP, e);
    }
  }

  /**
   * Terminates every node, the last started first and one at a time: a node leaving a cluster whose
   * other members are leaving too waits out its exiting phase, one leaving a live cluster does not.
   */
  @Override
  public void close() {
    List<Node> reversed = new ArrayList<>(nodes.values());
    java.util.Collections.reverse(reversed);
    for (Node n : reversed) {
      if (n.system().whenTerminated().isCompleted()) {
        continue; // stopped or crashed before
      }
      CoordinatedShutdown.get(n.system()).runAll(CoordinatedShutdown.unknownReason());
      try {
        n.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Best effort: a node that does not end in time must not keep the others from ending.
      }
    }
  }
}
