package org.crtrmotion.actors.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.crtrmotion.actors.devices.NodeDevices;
import org.crtrmotion.actors.devices.VmDevices;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.cluster.NodeConfig;
import org.crtrmotion.cluster.NodeSettings;
import org.crtrmotion.vm.machine.MachineConfig;

/**
 * A cluster node in this JVM as a real one is built (through {@link NodeConfig}, Java serialization
 * off), with its host agent, the directory's proxy, its {@link Migrations} and a {@link
 * MigrationClient}; a probe watches the console of every VM on it.
 */
final class MigrationNode implements AutoCloseable {
  static final Duration PATIENCE = Duration.ofSeconds(45);

  final String name;
  final NodeSettings settings;
  final ActorTestKit kit;
  final ActorRef<HostAgent.Command> hostAgent;
  final ActorRef<VmDirectory.Command> directory;
  final ActorRef<Migrations.Command> migrations;
  final MigrationClient client;
  final TestProbe<VmActor.VmEvent> consoles;
  final MigrationFaults faults = new MigrationFaults();
  final NodeDevices devices;

  MigrationNode(String name, CoordinatorSettings coordinatorSettings) {
    this(name, coordinatorSettings, (kit, directory) -> directory);
  }

  /**
   * A node whose {@link Migrations} reach the directory through {@code directoryFor} applied to the
   * node's test kit and the directory's proxy (a test may put a gate in between).
   */
  MigrationNode(
      String name,
      CoordinatorSettings coordinatorSettings,
      BiFunction<ActorTestKit, ActorRef<VmDirectory.Command>, ActorRef<VmDirectory.Command>>
          directoryFor) {
    this.name = name;
    NodeConfig config =
        NodeConfig.parse(
            """
            crtr.node {
              name = "%s"
              roles = ["host"]
              bind { host = "127.0.0.1", port = 0 }
              limits { max-vms = 4, max-memory = 256 MiB }
            }
            pekko.loglevel = WARNING
            pekko.actor.allow-java-serialization = off
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            pekko.cluster.run-coordinated-shutdown-when-down = off
            pekko.stream.materializer.stream-ref.buffer-capacity = 16
            # A node leaving a cluster whose others leave too waits out its exiting phase; on two
            # loaded cores that took over the default 10 s (DirectoryHandoverTest).
            pekko.actor.testkit.typed.system-shutdown-default = 60s
            """
                .formatted(name));
    settings = config.settings();
    devices = new NodeDevices(name);
    kit = ActorTestKit.create(NodeSettings.SYSTEM_NAME, config.config());
    hostAgent = kit.spawn(HostAgent.create(settings, devices), "host-agent");
    directory = VmDirectory.init(kit.system());
    migrations =
        kit.spawn(
            Migrations.create(
                name,
                hostAgent,
                directoryFor.apply(kit, directory),
                coordinatorSettings.withFaults(faults),
                devices),
            "migrations");
    client = new MigrationClient(kit.system(), migrations);
    consoles = kit.createTestProbe();
    hostAgent.tell(new HostAgent.WatchConsoles(consoles.ref()));
  }

  /**
   * Nodes with these names in one cluster, the first the seed, started once every node sees every
   * node's {@link Migrations}.
   */
  static List<MigrationNode> cluster(CoordinatorSettings coordinatorSettings, String... names) {
    List<MigrationNode> nodes = new ArrayList<>();
    for (String name : names) {
      MigrationNode node = new MigrationNode(name, coordinatorSettings);
      node.join(nodes.isEmpty() ? node : nodes.get(0));
      nodes.add(node);
    }
    for (MigrationNode node : nodes) {
      node.awaitMigrationsOf(nodes);
    }
    return List.copyOf(nodes);
  }

  /** Migrates a VM of this node to another and waits for the report. */
  MigrationReport migrate(String vmId, MigrationNode to, MigrationParameters parameters)
      throws Exception {
    return client
        .migrate(vmId, to.name, parameters)
        .toCompletableFuture()
        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  void join(MigrationNode seed) {
    Cluster.get(kit.system())
        .manager()
        .tell(Join.create(Cluster.get(seed.kit.system()).selfMember().address()));
  }

  /** Waits until this node sees every node named in its receptionist (no polling: listings). */
  void awaitMigrationsOf(List<MigrationNode> nodes) {
    for (MigrationNode other : nodes) {
      TestProbe<Receptionist.Listing> listings = kit.createTestProbe();
      kit.system()
          .receptionist()
          .tell(Receptionist.subscribe(Migrations.key(other.name), listings.ref()));
      while (true) {
        Set<ActorRef<Migrations.Command>> found =
            listings.receiveMessage(PATIENCE).getServiceInstances(Migrations.key(other.name));
        if (!found.isEmpty()) {
          break;
        }
      }
    }
  }

  String startVm(String image, MachineConfig config) {
    return startVm(image, config, 0);
  }

  /** With a vCPU quota of {@code quota} instructions per second (0: none). */
  String startVm(String image, MachineConfig config, long quota) {
    TestProbe<HostAgent.StartVmReply> started = kit.createTestProbe();
    // Short slices: a recording source hands its trace over once per slice.
    hostAgent.tell(new HostAgent.StartConfiguredVm(image, config, 1L << 16, quota, started.ref()));
    return started.expectMessageClass(HostAgent.VmStarted.class, PATIENCE).vmId();
  }

  List<HostAgent.VmInfo> vms() {
    TestProbe<HostAgent.VmList> list = kit.createTestProbe();
    hostAgent.tell(new HostAgent.ListVms(list.ref()));
    return list.expectMessageClass(HostAgent.VmList.class, PATIENCE).vms();
  }

  /** As {@link #startVm(String, MachineConfig)}, with devices. */
  String startVm(String image, MachineConfig config, VmDevices vmDevices) {
    TestProbe<HostAgent.StartVmReply> started = kit.createTestProbe();
    hostAgent.tell(
        new HostAgent.StartConfiguredVm(image, config, 1L << 16, vmDevices, started.ref()));
    HostAgent.StartVmReply reply = started.receiveMessage(PATIENCE);
    if (reply instanceof HostAgent.VmStarted s) {
      return s.vmId();
    }
    throw new AssertionError("not started: " + reply);
  }

  void stopVm(String vmId) {
    TestProbe<HostAgent.StopVmReply> stopped = kit.createTestProbe();
    hostAgent.tell(new HostAgent.StopVm(vmId, stopped.ref()));
    stopped.expectMessageClass(HostAgent.VmStopped.class, PATIENCE);
  }

  List<String> vmIds() {
    TestProbe<HostAgent.VmList> list = kit.createTestProbe();
    hostAgent.tell(new HostAgent.ListVms(list.ref()));
    List<String> ids = new ArrayList<>();
    list.expectMessageClass(HostAgent.VmList.class, PATIENCE).vms().forEach(v -> ids.add(v.vmId()));
    return ids;
  }

  /** Registers a VM started here in the directory, as a host agent will (epoch 1). */
  VmDirectory.Reply register(String vmId) {
    CompletionStage<VmDirectory.Reply> reply =
        AskPattern.ask(
            directory,
            r -> new VmDirectory.Register(vmId, name, r),
            PATIENCE,
            kit.system().scheduler());
    return reply.toCompletableFuture().join();
  }

  VmDirectory.Reply lookup(String vmId) {
    CompletionStage<VmDirectory.Reply> reply =
        AskPattern.ask(
            directory, r -> new VmDirectory.Lookup(vmId, r), PATIENCE, kit.system().scheduler());
    return reply.toCompletableFuture().join();
  }

  /** The next console line of {@code vmId} this node saw (other VMs' lines skipped). */
  VmActor.ConsoleLine nextLine(String vmId) {
    while (true) {
      if (consoles.receiveMessage(PATIENCE) instanceof VmActor.ConsoleLine l
          && l.vmId().equals(vmId)) {
        return l;
      }
    }
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
  }
}
