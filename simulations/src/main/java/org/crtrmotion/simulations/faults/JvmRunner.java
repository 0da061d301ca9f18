package org.crtrmotion.simulations.faults;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.crtrmotion.actors.coordinator.CoordinatorSettings;
import org.crtrmotion.actors.coordinator.MigrationClient;
import org.crtrmotion.actors.coordinator.MigrationFaults;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.embedded.EmbeddedCluster;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.actors.vm.VmState;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.time.TimeMode;

/**
 * Runs a {@link Schedule} with every node an actor system in this JVM ({@link EmbeddedCluster}):
 * the guests start, the fault phase begins (the nodes' fault sites on, the migrations and their
 * faults launched), the run is healed when the phase is over (sites off), every migration must then
 * end within its bound; then it observes the nodes, closes the cluster and looks for what was left
 * behind. It judges nothing: the {@link Checker}s do.
 */
public final class JvmRunner {
  /** Past its deadline a migration may still hand over: the target's word, the source's stop. */
  private static final Duration GRACE = Duration.ofSeconds(25);

  private static final Duration ASK = Duration.ofSeconds(30);
  private static final long SETTLE_MILLIS = 10_000;

  /** How long the run waits for copies between two states to settle: a deadline and more. */
  private static final long SETTLE_BOUND_MILLIS = 40_000;

  private static final long RELOOK_MILLIS = 250;

  /** Coordinators tuned for short runs: frequent rounds, quick to give up on a silent peer. */
  static CoordinatorSettings coordinatorSettings(MigrationFaults faults) {
    return new CoordinatorSettings(
        Duration.ofMillis(50),
        10,
        Duration.ofSeconds(3),
        Duration.ofSeconds(10),
        Duration.ofSeconds(1),
        4L << 20,
        64L << 20,
        faults);
  }

  public RunResult run(Schedule schedule) {
    long startNanos = System.nanoTime();
    Map<String, MigrationFaults> faults = new LinkedHashMap<>();
    for (int n = 0; n < schedule.size().nodes(); n++) {
      faults.put(Schedule.nodeName(n), new MigrationFaults());
    }
    EmbeddedCluster cluster;
    try {
      cluster =
          EmbeddedCluster.start(
              List.copyOf(faults.keySet()),
              Schedule.NODE_MEMORY_BYTES,
              name -> coordinatorSettings(faults.get(name)));
    } catch (RuntimeException e) {
      return new RunResult(
          schedule,
          null,
          List.of(),
          Map.of(),
          0,
          millisSince(startNanos),
          "the cluster did not start: " + e.getMessage(),
          "");
    }
    Run run = new Run(schedule, cluster, faults);
    run.mark("cluster up", startNanos);
    String error = null;
    try {
      run.execute();
    } catch (Exception e) {
      error = "the run failed: " + e;
    } finally {
      run.shutdown();
      run.mark("closed", startNanos);
    }
    Observations observations = run.observations(leftovers(run));
    run.mark("leftovers", startNanos);
    List<Violation> violations = error == null ? Checker.checkAll(observations) : List.of();
    return new RunResult(
        schedule,
        observations,
        violations,
        run.injected(),
        run.skipped(),
        millisSince(startNanos),
        error,
        run.timings());
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  /** One run's moving parts. */
  private static final class Run {
    private final Schedule schedule;
    private final EmbeddedCluster cluster;
    private final Map<String, MigrationFaults> faults;
    private final ConsoleCollector console = new ConsoleCollector();
    private final ExecutorService faultExecutor = Executors.newSingleThreadExecutor();
    private final Map<Integer, String> vmIds = new ConcurrentHashMap<>();
    private final Set<String> nodesDown = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Observations.MigrationSeen> migrations = new ConcurrentHashMap<>();
    private final Map<Integer, String> migrationIds = new ConcurrentHashMap<>();
    private final Map<FaultKind, Integer> injected = new EnumMap<>(FaultKind.class);
    private final FaultTriggers triggers;
    private int skipped;
    private volatile boolean healed;
    private List<Observations.VmSeen> finalVms = List.of();
    private Map<String, String> owners = Map.of();
    private final List<Integer> ports = new ArrayList<>();
    private final StringBuilder timings = new StringBuilder();
    private long phaseStartNanos;

    Run(Schedule schedule, EmbeddedCluster cluster, Map<String, MigrationFaults> faults) {
      this.schedule = schedule;
      this.cluster = cluster;
      for (EmbeddedCluster.Node n : cluster.nodes()) {
        ports.add(cluster.port(n.name()));
      }
      this.faults = faults;
      this.triggers = new FaultTriggers(schedule.faults(), this::fire);
    }

    void execute() throws Exception {
      for (EmbeddedCluster.Node node : cluster.nodes()) {
        console.watch(node);
      }
      for (Schedule.VmPlan v : schedule.vms()) {
        vmIds.put(v.index(), startVm(v));
      }
      for (String vmId : vmIds.values()) {
        if (!console.awaitLine(vmId, 1, ASK.toMillis())) {
          throw new IllegalStateException(vmId + " printed nothing within " + ASK);
        }
      }
      mark("guests up", phaseStartNanos);
      armSites();
      long faultPhaseStart = System.nanoTime();
      CompletableFuture.delayedExecutor(schedule.faultPhaseMillis(), TimeUnit.MILLISECONDS)
          .execute(this::heal);
      List<CompletableFuture<Void>> chains = new ArrayList<>();
      for (Schedule.VmPlan v : schedule.vms()) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Schedule.MigrationPlan m : schedule.migrations()) {
          if (m.vm() == v.index()) {
            chain = chain.thenCompose(x -> migrate(m, faultPhaseStart));
          }
        }
        chains.add(chain);
      }
      CompletableFuture.allOf(chains.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
      heal();
      faultExecutor.submit(() -> {}).get(5, TimeUnit.MINUTES); // faults in flight are done
      mark("migrations ended", phaseStartNanos);
      settle();
      mark("settled", phaseStartNanos);
      observeOnceSettled();
    }

    private String startVm(Schedule.VmPlan v) throws Exception {
      EmbeddedCluster.Node node = cluster.node(Schedule.nodeName(v.node()));
      MachineConfig config =
          MachineConfig.defaults()
              .withRamBytes(v.ramBytes())
              .withTimeMode(TimeMode.HOST)
              .withBootargs(v.bootargs());
      HostAgent.StartVmReply reply =
          ask(
              node,
              node.hostAgent(),
              r -> new HostAgent.StartConfiguredVm(v.image(), config, 1L << 16, r));
      if (!(reply instanceof HostAgent.VmStarted started)) {
        throw new IllegalStateException("vm" + v.index() + " did not start: " + reply);
      }
      VmDirectory.Reply registered =
          ask(
              node,
              node.directory(),
              r -> new VmDirectory.Register(started.vmId(), node.name(), r));
      if (!(registered instanceof VmDirectory.Location)) {
        throw new IllegalStateException("vm" + v.index() + " not registered: " + registered);
      }
      return started.vmId();
    }

    private void armSites() {
      for (Schedule.NodeSites s : schedule.sites()) {
        if (!s.any()) {
          continue;
        }
        faults
            .get(Schedule.nodeName(s.node()))
            .cutTraceAtRound(s.cutTraceAtRound())
            .partitionTraceAtRound(s.partitionTraceAtRound())
            .corruptTraceAtRound(s.corruptTraceAtRound())
            .withholdCaughtUp(s.slowReplay())
            .misreportTargetDigest(s.misreportDigest());
        count(FaultKind.CUT_TRACE, s.cutTraceAtRound() > 0);
        count(FaultKind.PARTITION_TRACE, s.partitionTraceAtRound() > 0);
        count(FaultKind.CORRUPT_TRACE, s.corruptTraceAtRound() > 0);
        count(FaultKind.SLOW_REPLAY, s.slowReplay());
        count(FaultKind.MISREPORT_DIGEST, s.misreportDigest());
      }
    }

    /** The end of the fault phase: every site off; migrations from here on see no fault. */
    private void heal() {
      healed = true;
      for (MigrationFaults f : faults.values()) {
        f.cutTraceAtRound(0)
            .partitionTraceAtRound(0)
            .corruptTraceAtRound(0)
            .withholdCaughtUp(false)
            .misreportTargetDigest(false);
      }
    }

    private CompletableFuture<Void> migrate(Schedule.MigrationPlan m, long faultPhaseStart) {
      long wait =
          m.startDelayMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - faultPhaseStart);
      return CompletableFuture.runAsync(
              () -> {}, CompletableFuture.delayedExecutor(Math.max(0, wait), TimeUnit.MILLISECONDS))
          .thenCompose(x -> startMigration(m));
    }

    private CompletableFuture<Void> startMigration(Schedule.MigrationPlan m) {
      String vmId = vmIds.get(m.vm());
      long bound = m.deadlineMillis() + GRACE.toMillis();
      String source = owner(vmId);
      if (source == null || !cluster.isRunning(source)) {
        migrations.put(
            m.index(),
            new Observations.MigrationSeen(
                m.index(),
                null,
                vmId,
                source,
                null,
                null,
                "skipped: " + vmId + "'s node is down",
                null,
                0,
                bound,
                true));
        triggers.ended(m.index(), false);
        return CompletableFuture.completedFuture(null);
      }
      String target = Schedule.nodeName((index(source) + m.hop()) % schedule.size().nodes());
      if (m.trickle()) {
        count(FaultKind.TRICKLE, true);
      }
      long startNanos = System.nanoTime();
      triggers.begin(m.index(), source, target);
      MigrationClient.Migration migration;
      try {
        migration =
            cluster
                .node(source)
                .client()
                .start(
                    vmId,
                    target,
                    m.parameters(),
                    u -> triggers.progress(m.index(), u.phase(), u.round()));
      } catch (IllegalStateException e) {
        // The source node began to stop between the look-up and the request (seed 138): the
        // migration was never asked, as if skipped.
        migrations.put(
            m.index(),
            new Observations.MigrationSeen(
                m.index(),
                null,
                vmId,
                source,
                null,
                null,
                "skipped: " + e.getMessage(),
                null,
                0,
                bound,
                true));
        triggers.ended(m.index(), false);
        return CompletableFuture.completedFuture(null);
      }
      migration
          .migrationId()
          .thenAccept(
              id -> {
                migrationIds.put(m.index(), id);
                triggers.started(m.index(), id);
              });
      CompletableFuture<MigrationReport> report = migration.report().toCompletableFuture();
      CompletableFuture<Object> sourceDown =
          cluster.node(source).system().getWhenTerminated().toCompletableFuture().thenApply(d -> d);
      return CompletableFuture.anyOf(report, sourceDown)
          .completeOnTimeout(null, bound, TimeUnit.MILLISECONDS)
          .handle(
              (ended, failure) -> {
                long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                MigrationReport r = report.getNow(null);
                migrations.put(
                    m.index(),
                    new Observations.MigrationSeen(
                        m.index(),
                        migrationIds.get(m.index()),
                        vmId,
                        source,
                        target,
                        r == null ? null : r.outcome(),
                        r == null ? null : r.reason(),
                        r == null ? null : r.digestCheck(),
                        elapsed,
                        bound,
                        r == null && !cluster.isRunning(source)));
                triggers.ended(
                    m.index(),
                    r != null && r.outcome() == org.crtrmotion.actors.migration.Outcome.COMMITTED);
                return null;
              });
    }

    /** Carries out a fault whose moment came, on the fault thread (a node stop takes seconds). */
    private void fire(FaultTriggers.Fired f) {
      faultExecutor.execute(
          () -> {
            if (f.plan().kind() == FaultKind.CANCEL) {
              if (f.migrationId() != null && cluster.isRunning(f.source())) {
                cluster.node(f.source()).client().cancel(f.migrationId());
                count(FaultKind.CANCEL, true);
              } else {
                skip();
              }
              return;
            }
            String victim = victim(f);
            if (victim == null
                || victim.equals(Schedule.nodeName(0))
                || !cluster.isRunning(victim)) {
              skip(); // n0 holds the VM directory, whose table a handover loses (actors' README)
              return;
            }
            nodesDown.add(victim);
            if (f.plan().kind() == FaultKind.STOP_NODE) {
              cluster.stopGracefully(victim);
            } else {
              cluster.crash(victim);
            }
            count(f.plan().kind(), true);
          });
    }

    private String victim(FaultTriggers.Fired f) {
      return switch (f.plan().role()) {
        case SOURCE -> f.source();
        case TARGET -> f.target();
        case BYSTANDER -> {
          int n = schedule.size().nodes();
          for (int i = 1; i < n; i++) {
            String candidate = Schedule.nodeName((index(f.target()) + i) % n);
            if (!candidate.equals(f.source()) && !candidate.equals(f.target())) {
              yield candidate;
            }
          }
          yield null;
        }
      };
    }

    /** Gives each VM whose owner is up time for two more lines, so that it shows it runs on. */
    private void settle() throws Exception {
      for (String vmId : vmIds.values()) {
        String owner = owner(vmId);
        if (owner != null && cluster.isRunning(owner)) {
          console.awaitLine(vmId, console.highest(vmId) + 2, SETTLE_MILLIS);
        }
      }
    }

    /**
     * Observes until no VM is left between two states (a target's copy still replaying or caught up
     * and paused, a source paused), or the bound passes. A node learns of a lost peer when it is
     * removed, which is when the fault thread's crash returns: its coordinators react after. This
     * system is not ours to signal, so the run looks again every {@link #RELOOK_MILLIS}; whatever
     * is still in between at the bound is what the checkers judge.
     */
    private void observeOnceSettled() throws Exception {
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SETTLE_BOUND_MILLIS);
      observe();
      while (finalVms.stream().anyMatch(v -> v.state() != VmState.RUNNING)
          && System.nanoTime() < end) {
        Thread.sleep(RELOOK_MILLIS);
        observe();
      }
    }

    private void observe() throws Exception {
      List<Observations.VmSeen> seen = new ArrayList<>();
      for (EmbeddedCluster.Node node : cluster.nodes()) {
        if (!cluster.isRunning(node.name())) {
          continue;
        }
        HostAgent.VmList list = ask(node, node.hostAgent(), HostAgent.ListVms::new);
        for (HostAgent.VmInfo info : list.vms()) {
          HostAgent.VmHandle handle =
              ask(node, node.hostAgent(), r -> new HostAgent.GetVm(info.vmId(), r));
          VmActor.Reply status = ask(node, handle.ref(), VmActor.GetStatus::new);
          seen.add(
              new Observations.VmSeen(
                  node.name(), info.vmId(), status instanceof VmActor.Status s ? s.state() : null));
        }
      }
      finalVms = seen;
      Map<String, String> where = new HashMap<>();
      for (String vmId : vmIds.values()) {
        String owner = owner(vmId);
        if (owner != null) {
          where.put(vmId, owner);
        }
      }
      owners = where;
    }

    /** Where the directory (on n0, never faulted) says the VM lives; null when it does not know. */
    private String owner(String vmId) {
      EmbeddedCluster.Node n0 = cluster.node(Schedule.nodeName(0));
      try {
        VmDirectory.Reply reply = ask(n0, n0.directory(), r -> new VmDirectory.Lookup(vmId, r));
        return reply instanceof VmDirectory.Location at ? at.node() : null;
      } catch (Exception e) {
        return null;
      }
    }

    private static int index(String node) {
      return Integer.parseInt(node.substring(1));
    }

    private synchronized void count(FaultKind kind, boolean happened) {
      if (happened) {
        injected.merge(kind, 1, Integer::sum);
      }
    }

    private synchronized void skip() {
      skipped++;
    }

    synchronized Map<FaultKind, Integer> injected() {
      return Map.copyOf(injected);
    }

    synchronized int skipped() {
      return skipped + triggers.neverReached();
    }

    void shutdown() {
      faultExecutor.shutdownNow();
      try {
        faultExecutor.awaitTermination(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      cluster.close();
    }

    /** Notes how long the run took up to {@code what}, for the run's summary. */
    synchronized void mark(String what, long startNanos) {
      phaseStartNanos = startNanos;
      timings
          .append(timings.isEmpty() ? "" : ", ")
          .append(what)
          .append(" at ")
          .append(String.format("%.1f s", millisSince(startNanos) / 1000.0));
    }

    synchronized String timings() {
      return timings.toString();
    }

    List<Integer> ports() {
      return List.copyOf(ports);
    }

    List<String> migrationIds() {
      return List.copyOf(migrationIds.values());
    }

    Observations observations(Observations.Leftovers leftovers) {
      List<Observations.MigrationSeen> seen = new ArrayList<>();
      for (int i = 0; i < schedule.migrations().size(); i++) {
        if (migrations.containsKey(i)) {
          seen.add(migrations.get(i));
        }
      }
      return new Observations(
          List.copyOf(vmIds.values()),
          nodesDown,
          console.lines(),
          seen,
          finalVms,
          owners,
          leftovers);
    }

    private static <T, R> R ask(
        EmbeddedCluster.Node node,
        ActorRef<T> to,
        org.apache.pekko.japi.function.Function<ActorRef<R>, T> message)
        throws Exception {
      return AskPattern.ask(to, message, ASK, node.system().scheduler())
          .toCompletableFuture()
          .get(ASK.toSeconds() + 5, TimeUnit.SECONDS);
    }
  }

  /** Guest threads, this run's spill directories and the nodes' ports, still held after close. */
  private static Observations.Leftovers leftovers(Run run) {
    List<String> threads = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String name = t.getName();
      if (name.startsWith("crtr-vm-") || name.startsWith("crtr-precopy-")) {
        try {
          t.join(10_000); // a guest thread ends once its actor saw the system stop
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
          threads.add(name);
        }
      }
    }
    List<String> spills = new ArrayList<>();
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    for (String id : run.migrationIds()) {
      String prefix = "crtr-spill-" + id.replaceAll("[^\\w-]", "_");
      try (Stream<Path> files = Files.list(tmp)) {
        files
            .filter(p -> p.getFileName().toString().startsWith(prefix))
            .forEach(p -> spills.add(p.toString()));
      } catch (IOException e) {
        spills.add(tmp + " cannot be listed: " + e.getMessage());
      }
    }
    List<Integer> ports = new ArrayList<>();
    for (int port : run.ports()) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
      } catch (IOException e) {
        ports.add(port);
      }
    }
    return new Observations.Leftovers(threads, spills, ports);
  }
}
