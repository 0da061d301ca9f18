package org.crtrmotion.actors.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.crtrmotion.actors.devices.AttachedDevices;
import org.crtrmotion.actors.devices.NodeDevices;
import org.crtrmotion.actors.devices.VmDevices;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.vm.GuestImages;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.actors.vm.VmSpec;
import org.crtrmotion.actors.wire.ClusterMessage;
import org.crtrmotion.cluster.NodeSettings;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.MachineConfig;

/**
 * The host agent of one node (role {@code host}), registered with the receptionist under {@link
 * #KEY}: starts VMs from images as child {@link VmActor}s on {@code crtr.vm-dispatcher}, stops and
 * lists them, reports capacity against the node's limits, and reserves capacity for incoming
 * migrations. Every public message crosses nodes (protocol {@code crtr.cluster}).
 */
public final class HostAgent extends AbstractBehavior<HostAgent.Command> {

  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "crtr-host-agent");

  /** How long a VM may take to boot before its start is refused. */
  static final Duration BOOT_TIMEOUT = Duration.ofSeconds(60);

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  public sealed interface Command
      permits StartVm,
          StopVm,
          ListVms,
          GetCapacity,
          OfferMigration,
          ReleaseOffer,
          VmStartAnswered,
          VmStopAnswered,
          VmTerminated,
          OfferExpired,
          StartConfiguredVm,
          GetVm,
          StartReplica,
          StopMigratedVm,
          WatchConsoles,
          ClaimVms,
          VmOwned,
          ClaimAnswered {}

  /**
   * Starts a VM on this node.
   *
   * @param image a bundled guest's name or a path on this node
   * @param bootargs the device tree's /chosen/bootargs, or empty
   * @param memoryBytes guest RAM: at least 1 MiB, a multiple of 4 KiB
   * @param quotaInstructionsPerSecond the vCPU quota ({@link VmSpec#quotaInstructionsPerSecond()}),
   *     0 for none
   * @param devices disks and NICs in slot order; a disk without a SHA-256 takes this node's file's
   */
  public record StartVm(
      String image,
      String bootargs,
      long memoryBytes,
      long quotaInstructionsPerSecond,
      VmDevices devices,
      ActorRef<StartVmReply> replyTo)
      implements Command, ClusterMessage {
    public StartVm {
      devices = devices == null ? VmDevices.none() : devices;
    }

    /** Without a quota or devices. */
    public StartVm(
        String image, String bootargs, long memoryBytes, ActorRef<StartVmReply> replyTo) {
      this(image, bootargs, memoryBytes, 0, VmDevices.none(), replyTo);
    }

    /** Without devices. */
    public StartVm(
        String image,
        String bootargs,
        long memoryBytes,
        long quotaInstructionsPerSecond,
        ActorRef<StartVmReply> replyTo) {
      this(image, bootargs, memoryBytes, quotaInstructionsPerSecond, VmDevices.none(), replyTo);
    }

    /** Without a quota. */
    public StartVm(
        String image,
        String bootargs,
        long memoryBytes,
        VmDevices devices,
        ActorRef<StartVmReply> replyTo) {
      this(image, bootargs, memoryBytes, 0, devices, replyTo);
    }
  }

  public sealed interface StartVmReply permits VmStarted, StartRefused {}

  public record VmStarted(String vmId, String node) implements StartVmReply, ClusterMessage {}

  public record StartRefused(String reason) implements StartVmReply, ClusterMessage {}

  public record StopVm(String vmId, ActorRef<StopVmReply> replyTo)
      implements Command, ClusterMessage {}

  public sealed interface StopVmReply permits VmStopped, StopRefused {}

  public record VmStopped(String vmId, long instructions) implements StopVmReply, ClusterMessage {}

  public record StopRefused(String vmId, String reason) implements StopVmReply, ClusterMessage {}

  public record ListVms(ActorRef<VmList> replyTo) implements Command, ClusterMessage {}

  public record VmList(String node, List<VmInfo> vms) implements ClusterMessage {
    public VmList {
      vms = List.copyOf(vms);
    }
  }

  /**
   * @param quotaInstructionsPerSecond the VM's vCPU quota, 0 for none
   */
  public record VmInfo(
      String vmId, String image, long memoryBytes, long quotaInstructionsPerSecond) {
    /** Without a quota. */
    public VmInfo(String vmId, String image, long memoryBytes) {
      this(vmId, image, memoryBytes, 0);
    }
  }

  public record GetCapacity(ActorRef<Capacity> replyTo) implements Command, ClusterMessage {}

  /**
   * What the node runs and holds against its limits. Reservations count against the limits as VMs
   * do.
   */
  public record Capacity(
      String node,
      int vms,
      int reservedVms,
      int maxVms,
      long memoryBytes,
      long reservedMemoryBytes,
      long maxMemoryBytes)
      implements ClusterMessage {}

  /**
   * Asks this node to hold capacity for a VM that a migration will bring. Accepting again under the
   * same id is harmless (a retried offer).
   *
   * @param holdMillis how long the reservation holds unless released
   */
  public record OfferMigration(
      String migrationId,
      String vmId,
      long memoryBytes,
      long holdMillis,
      ActorRef<OfferReply> replyTo)
      implements Command, ClusterMessage {}

  public sealed interface OfferReply permits OfferAccepted, OfferRefused {}

  public record OfferAccepted(String migrationId, String node)
      implements OfferReply, ClusterMessage {}

  public record OfferRefused(String migrationId, String reason)
      implements OfferReply, ClusterMessage {}

  /** The migration was aborted or is done with the reservation; unknown ids are ignored. */
  public record ReleaseOffer(String migrationId) implements Command, ClusterMessage {}

  // ---- local to the node (migration coordinators, tests): never cross nodes

  /**
   * As {@link StartVm}, with the whole machine configuration (time mode included) and the guest
   * thread's slice ({@link VmSpec#sliceInstructions()}; 0 for the default). A recording source
   * hands its trace over once per slice, so an idle guest in host time wants short slices. {@code
   * quotaInstructionsPerSecond} is the VM's vCPU quota ({@link VmSpec#withQuota}; 0 for none); a
   * migration's copy on the target replays without it.
   */
  public record StartConfiguredVm(
      String image,
      MachineConfig config,
      long sliceInstructions,
      long quotaInstructionsPerSecond,
      VmDevices devices,
      ActorRef<StartVmReply> replyTo)
      implements Command {
    public StartConfiguredVm {
      devices = devices == null ? VmDevices.none() : devices;
    }

    /** Without a quota. */
    public StartConfiguredVm(
        String image,
        MachineConfig config,
        long sliceInstructions,
        VmDevices devices,
        ActorRef<StartVmReply> replyTo) {
      this(image, config, sliceInstructions, 0, devices, replyTo);
    }

    /** Without devices. */
    public StartConfiguredVm(
        String image,
        MachineConfig config,
        long sliceInstructions,
        long quotaInstructionsPerSecond,
        ActorRef<StartVmReply> replyTo) {
      this(image, config, sliceInstructions, quotaInstructionsPerSecond, VmDevices.none(), replyTo);
    }

    /** Without a quota or devices. */
    public StartConfiguredVm(
        String image,
        MachineConfig config,
        long sliceInstructions,
        ActorRef<StartVmReply> replyTo) {
      this(image, config, sliceInstructions, 0, VmDevices.none(), replyTo);
    }
  }

  /** The VM actor and what it was started from, for a migration of it. */
  public record GetVm(String vmId, ActorRef<VmHandle> replyTo) implements Command {}

  /**
   * @param ref null when there is no such VM here (or a replica could not be spawned)
   * @param problem why a replica was not spawned; empty otherwise
   */
  public record VmHandle(
      String vmId,
      String node,
      String image,
      VmSpec spec,
      ActorRef<VmActor.Command> ref,
      String problem) {
    public VmHandle(
        String vmId, String node, String image, VmSpec spec, ActorRef<VmActor.Command> ref) {
      this(vmId, node, image, spec, ref, "");
    }

    public boolean found() {
      return ref != null;
    }
  }

  /**
   * Spawns a migration's target copy of a VM (keeping its id) as a child, in place of the
   * reservation {@code migrationId} held; the reply names the new VM actor, not yet started.
   */
  public record StartReplica(
      String migrationId,
      VmSpec spec,
      String image,
      VmActor.Replica replica,
      ActorRef<VmHandle> replyTo)
      implements Command {}

  /**
   * Stops a VM that migrated away ({@link VmActor.StopMigrated}): its capacity is freed and its
   * unfinished console line is left to the target.
   */
  public record StopMigratedVm(String vmId, ActorRef<StopVmReply> replyTo) implements Command {}

  /**
   * Subscribes {@code watcher} to the console of every VM on this node, now and later (a
   * migration's copy from the moment it is spawned, so that none of its live lines is missed).
   */
  public record WatchConsoles(ActorRef<VmActor.VmEvent> watcher) implements Command {}

  /**
   * From a VM directory that has just started (its singleton is new, its table empty): claim with
   * it every VM this node runs live, at the epoch this node knows; VMs started later are claimed
   * with it as they start.
   */
  public record ClaimVms(ActorRef<VmDirectory.Command> directory)
      implements Command, ClusterMessage {}

  /**
   * A migration's copy here went live: the VM is this node's from directory epoch {@code epoch}
   * (the commit's move), which this node claims it at should the directory start again.
   */
  public record VmOwned(String vmId, long epoch) implements Command {}

  private record ClaimAnswered(VmDirectory.Reply reply) implements Command {}

  private record VmStartAnswered(
      String vmId, VmActor.Reply reply, Throwable failure, ActorRef<StartVmReply> replyTo)
      implements Command {}

  private record VmStopAnswered(
      String vmId, VmActor.Reply reply, Throwable failure, ActorRef<StopVmReply> replyTo)
      implements Command {}

  private record VmTerminated(String vmId, ActorRef<VmActor.Command> ref) implements Command {}

  private record OfferExpired(String migrationId) implements Command {}

  /**
   * @param epoch the directory epoch this node knows the VM at: 1 for a VM started here, the
   *     commit's for a migration's copy once live; 0 for a copy not live yet (never claimed)
   */
  private record Vm(
      String vmId,
      String image,
      long memoryBytes,
      VmSpec spec,
      ActorRef<VmActor.Command> ref,
      long epoch) {
    Vm withEpoch(long value) {
      return new Vm(vmId, image, memoryBytes, spec, ref, value);
    }
  }

  public static Behavior<Command> create(NodeSettings settings) {
    return create(settings, new NodeDevices(settings.name()));
  }

  /**
   * @param devices opens the disks and network ports of this node's VMs (shared with the node's
   *     {@code Migrations}, which checks them at Prepare)
   */
  public static Behavior<Command> create(NodeSettings settings, NodeDevices devices) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
                  return new HostAgent(ctx, timers, settings, devices);
                }));
  }

  private final TimerScheduler<Command> timers;
  private final NodeSettings settings;
  private final NodeDevices devices;
  private final Map<String, Vm> vms = new HashMap<>();
  private final Map<String, Reservation> reservations = new HashMap<>();
  private long vmsStarted;
  private long replicasSpawned;
  private final List<ActorRef<VmActor.VmEvent>> consoleWatchers = new ArrayList<>();
  private ActorRef<VmDirectory.Command> directory; // the one that last asked for claims; or null

  private HostAgent(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      NodeSettings settings,
      NodeDevices devices) {
    super(ctx);
    this.timers = timers;
    this.settings = settings;
    this.devices = devices;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StartVm.class, this::onStartVm)
        .onMessage(VmStartAnswered.class, this::onStartAnswered)
        .onMessage(StopVm.class, this::onStopVm)
        .onMessage(VmStopAnswered.class, this::onStopAnswered)
        .onMessage(VmTerminated.class, this::onVmTerminated)
        .onMessage(ListVms.class, this::onListVms)
        .onMessage(GetCapacity.class, m -> reply(m.replyTo(), capacity()))
        .onMessage(OfferMigration.class, this::onOffer)
        .onMessage(ReleaseOffer.class, m -> release(m.migrationId()))
        .onMessage(OfferExpired.class, m -> release(m.migrationId()))
        .onMessage(
            StartConfiguredVm.class,
            m ->
                startVm(
                    m.image(),
                    m.config(),
                    m.sliceInstructions() > 0
                        ? m.sliceInstructions()
                        : VmSpec.DEFAULT_SLICE_INSTRUCTIONS,
                    m.quotaInstructionsPerSecond(),
                    m.devices(),
                    m.replyTo()))
        .onMessage(GetVm.class, this::onGetVm)
        .onMessage(StartReplica.class, this::onStartReplica)
        .onMessage(StopMigratedVm.class, m -> stopVm(m.vmId(), m.replyTo(), true))
        .onMessage(WatchConsoles.class, this::onWatchConsoles)
        .onMessage(ClaimVms.class, this::onClaimVms)
        .onMessage(VmOwned.class, this::onVmOwned)
        .onMessage(ClaimAnswered.class, this::onClaimAnswered)
        .build();
  }

  private <T> Behavior<Command> reply(ActorRef<T> to, T message) {
    to.tell(message);
    return this;
  }

  private Behavior<Command> onStartVm(StartVm m) {
    MachineConfig config;
    try {
      config =
          MachineConfig.defaults()
              .withRamBytes(m.memoryBytes())
              .withBootargs(m.bootargs().isEmpty() ? null : m.bootargs());
    } catch (IllegalArgumentException e) {
      return reply(m.replyTo(), new StartRefused(e.getMessage()));
    }
    return startVm(
        m.image(),
        config,
        VmSpec.DEFAULT_SLICE_INSTRUCTIONS,
        m.quotaInstructionsPerSecond(),
        m.devices(),
        m.replyTo());
  }

  private Behavior<Command> startVm(
      String image,
      MachineConfig config,
      long slice,
      long quotaInstructionsPerSecond,
      VmDevices asked,
      ActorRef<StartVmReply> replyTo) {
    String full = fullFor(config.ramBytes());
    if (full != null) {
      return reply(replyTo, new StartRefused(full));
    }
    VmSpec spec;
    AttachedDevices attached;
    String vmId = settings.name() + "-vm-" + (vmsStarted + 1);
    try {
      spec =
          new VmSpec(
              vmId,
              config,
              new BootPlan.BareMetal(GuestImages.load(image)),
              slice,
              quotaInstructionsPerSecond,
              devices.identify(asked));
      attached = devices.attach(vmId, spec.devices(), false);
    } catch (IllegalArgumentException e) {
      return reply(replyTo, new StartRefused(e.getMessage()));
    }
    vmsStarted++;
    ActorRef<VmActor.Command> vm =
        getContext()
            .spawn(
                VmActor.create(spec, attached),
                vmId,
                DispatcherSelector.fromConfig("crtr.vm-dispatcher"));
    getContext().watchWith(vm, new VmTerminated(vmId, vm));
    watchConsole(vm);
    vms.put(vmId, new Vm(vmId, image, config.ramBytes(), spec, vm, 1));
    getContext()
        .ask(
            VmActor.Reply.class,
            vm,
            BOOT_TIMEOUT,
            VmActor.Start::new,
            (reply, failure) -> new VmStartAnswered(vmId, reply, failure, replyTo));
    return this;
  }

  private Behavior<Command> onWatchConsoles(WatchConsoles m) {
    consoleWatchers.add(m.watcher());
    vms.values().forEach(vm -> vm.ref().tell(new VmActor.Subscribe(m.watcher())));
    return this;
  }

  private void watchConsole(ActorRef<VmActor.Command> vm) {
    consoleWatchers.forEach(w -> vm.tell(new VmActor.Subscribe(w)));
  }

  private Behavior<Command> onGetVm(GetVm m) {
    Vm vm = vms.get(m.vmId());
    return reply(
        m.replyTo(),
        vm == null
            ? new VmHandle(m.vmId(), settings.name(), "", null, null)
            : new VmHandle(vm.vmId(), settings.name(), vm.image(), vm.spec(), vm.ref()));
  }

  private Behavior<Command> onStartReplica(StartReplica m) {
    String vmId = m.spec().vmId();
    if (vms.containsKey(vmId)) {
      return reply(m.replyTo(), new VmHandle(vmId, settings.name(), m.image(), m.spec(), null));
    }
    AttachedDevices attached;
    try {
      attached = devices.attach(vmId, m.spec().devices(), true);
    } catch (IllegalArgumentException e) {
      return reply(
          m.replyTo(),
          new VmHandle(vmId, settings.name(), m.image(), m.spec(), null, e.getMessage()));
    }
    release(m.migrationId()); // the replica takes the reserved capacity's place
    replicasSpawned++;
    // A VM that comes back keeps its id; its actor name is new, the old one may still be stopping.
    ActorRef<VmActor.Command> vm =
        getContext()
            .spawn(
                VmActor.createReplica(m.spec(), m.replica(), attached),
                vmId + "-replica-" + replicasSpawned,
                DispatcherSelector.fromConfig("crtr.vm-dispatcher"));
    getContext().watchWith(vm, new VmTerminated(vmId, vm));
    watchConsole(vm);
    vms.put(vmId, new Vm(vmId, m.image(), m.spec().config().ramBytes(), m.spec(), vm, 0));
    return reply(m.replyTo(), new VmHandle(vmId, settings.name(), m.image(), m.spec(), vm));
  }

  private Behavior<Command> onClaimVms(ClaimVms m) {
    directory = m.directory();
    vms.values().forEach(this::claim);
    return this;
  }

  private Behavior<Command> onVmOwned(VmOwned m) {
    vms.computeIfPresent(m.vmId(), (id, vm) -> vm.withEpoch(m.epoch()));
    return this;
  }

  private void claim(Vm vm) {
    if (directory != null && vm.epoch() > 0) {
      directory.tell(
          new VmDirectory.Claim(
              vm.vmId(),
              settings.name(),
              vm.epoch(),
              getContext().messageAdapter(VmDirectory.Reply.class, ClaimAnswered::new)));
    }
  }

  private Behavior<Command> onClaimAnswered(ClaimAnswered m) {
    if (m.reply() instanceof VmDirectory.Refusal r) {
      // Another node holds the VM at a newer epoch: this copy is fenced (it will not migrate).
      getContext()
          .getLog()
          .warn("event=vm-claim-refused vm={} reason=\"{}\"", r.vmId(), r.reason());
    }
    return this;
  }

  private Behavior<Command> onStartAnswered(VmStartAnswered m) {
    if (m.reply() instanceof VmActor.Status) {
      Vm started = vms.get(m.vmId());
      if (started != null) {
        claim(started); // the directory knows the VM from its start, not only from a migration
      }
      return reply(m.replyTo(), new VmStarted(m.vmId(), settings.name()));
    }
    String reason =
        m.reply() instanceof VmActor.Refused r
            ? r.reason()
            : "VM " + m.vmId() + " did not boot within " + BOOT_TIMEOUT.toSeconds() + " s";
    Vm vm = vms.get(m.vmId());
    if (vm != null) {
      getContext().stop(vm.ref()); // its memory is freed when it has terminated
    }
    return reply(m.replyTo(), new StartRefused(reason));
  }

  private Behavior<Command> onStopVm(StopVm m) {
    return stopVm(m.vmId(), m.replyTo(), false);
  }

  private Behavior<Command> stopVm(String vmId, ActorRef<StopVmReply> replyTo, boolean migrated) {
    Vm vm = vms.get(vmId);
    if (vm == null) {
      return reply(replyTo, new StopRefused(vmId, "no VM " + vmId + " on " + settings.name()));
    }
    getContext()
        .ask(
            VmActor.Reply.class,
            vm.ref(),
            STOP_TIMEOUT,
            migrated ? VmActor.StopMigrated::new : VmActor.Stop::new,
            (reply, failure) -> new VmStopAnswered(vmId, reply, failure, replyTo));
    return this;
  }

  private Behavior<Command> onStopAnswered(VmStopAnswered m) {
    if (m.reply() instanceof VmActor.Status s) {
      vms.remove(m.vmId()); // its thread is gone: free the capacity now, not at Terminated
      return reply(m.replyTo(), new VmStopped(m.vmId(), s.instructions()));
    }
    String reason = m.failure() != null ? m.failure().getMessage() : String.valueOf(m.reply());
    return reply(m.replyTo(), new StopRefused(m.vmId(), reason));
  }

  private Behavior<Command> onVmTerminated(VmTerminated m) {
    // A VM that migrated away and came back has a new actor under the same id: keep that one.
    vms.computeIfPresent(m.vmId(), (id, vm) -> vm.ref().equals(m.ref()) ? null : vm);
    return this;
  }

  private Behavior<Command> onListVms(ListVms m) {
    List<VmInfo> list = new ArrayList<>();
    for (Vm vm : vms.values()) {
      list.add(
          new VmInfo(
              vm.vmId(), vm.image(), vm.memoryBytes(), vm.spec().quotaInstructionsPerSecond()));
    }
    list.sort(Comparator.comparing(VmInfo::vmId));
    return reply(m.replyTo(), new VmList(settings.name(), list));
  }

  private Behavior<Command> onOffer(OfferMigration m) {
    if (reservations.containsKey(m.migrationId())) {
      return reply(m.replyTo(), new OfferAccepted(m.migrationId(), settings.name()));
    }
    if (m.holdMillis() <= 0) {
      return reply(
          m.replyTo(), new OfferRefused(m.migrationId(), "hold must be positive, was 0 ms"));
    }
    String full = fullFor(m.memoryBytes());
    if (full != null) {
      return reply(m.replyTo(), new OfferRefused(m.migrationId(), full));
    }
    reservations.put(m.migrationId(), new Reservation(m.migrationId(), m.vmId(), m.memoryBytes()));
    timers.startSingleTimer(
        m.migrationId(), new OfferExpired(m.migrationId()), Duration.ofMillis(m.holdMillis()));
    return reply(m.replyTo(), new OfferAccepted(m.migrationId(), settings.name()));
  }

  private Behavior<Command> release(String migrationId) {
    reservations.remove(migrationId);
    timers.cancel(migrationId);
    return this;
  }

  /** Why one more VM of {@code memoryBytes} does not fit here, or null when it does. */
  private String fullFor(long memoryBytes) {
    Capacity c = capacity();
    if (memoryBytes <= 0) {
      return "memory must be positive, was " + memoryBytes + " bytes";
    }
    if (c.vms() + c.reservedVms() + 1 > c.maxVms()) {
      return String.format(
          "node %s is full: %d VMs running and %d reserved of crtr.node.limits.max-vms = %d",
          c.node(), c.vms(), c.reservedVms(), c.maxVms());
    }
    long inUse = c.memoryBytes() + c.reservedMemoryBytes();
    if (memoryBytes > c.maxMemoryBytes() - inUse) {
      return String.format(
          "node %s has %d MiB of memory left (crtr.node.limits.max-memory = %d MiB), %d MiB asked",
          c.node(),
          (c.maxMemoryBytes() - inUse) >> 20,
          c.maxMemoryBytes() >> 20,
          memoryBytes >> 20);
    }
    return null;
  }

  private Capacity capacity() {
    long memory = vms.values().stream().mapToLong(Vm::memoryBytes).sum();
    long reserved = reservations.values().stream().mapToLong(Reservation::memoryBytes).sum();
    return new Capacity(
        settings.name(),
        vms.size(),
        reservations.size(),
        settings.limits().maxVms(),
        memory,
        reserved,
        settings.limits().maxMemoryBytes());
  }
}
