package org.crtrmotion.simulations.evaluation;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.crtrmotion.actors.coordinator.CoordinatorSettings;
import org.crtrmotion.actors.embedded.EmbeddedCluster;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.migration.Phase;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.streams.TraceStreams;

/**
 * One run of the matrix on the embedded cluster: a fresh guest booted on the source node, its
 * instruction rate measured live, while recording, and live again; then migrated to the target node
 * while its rate is followed; then the invariants checked from the report and the console, and the
 * VM stopped wherever it lives.
 */
final class RunExecutor {
  static final String SOURCE = "a";
  static final String TARGET = "b";

  /** Long enough for a VM to boot, print or stop on a loaded machine. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** Segments the recording window's trace may leave waiting, as a migration's recorder. */
  private static final int RECORDER_BUFFER_SEGMENTS = 64;

  private final EmbeddedCluster cluster;
  private final ConsoleLog console;
  private final EvaluationPlan plan;
  private final CoordinatorSettings settings;
  private final Consumer<String> log;

  /**
   * @param settings the coordinators' settings the cluster runs with (the model uses their round
   *     interval and handover)
   */
  RunExecutor(
      EmbeddedCluster cluster,
      ConsoleLog console,
      EvaluationPlan plan,
      CoordinatorSettings settings,
      Consumer<String> log) {
    this.cluster = cluster;
    this.console = console;
    this.plan = plan;
    this.settings = settings;
    this.log = log;
  }

  RunResult run(RunSpec spec) throws InterruptedException {
    EmbeddedCluster.Node source = cluster.node(SOURCE);
    String vmId;
    try {
      vmId = startVm(source, spec);
    } catch (RuntimeException e) {
      return RunResult.failed(
          spec, "the guest did not start: " + e.getMessage(), GuestRates.UNMEASURED);
    }
    String owner = SOURCE;
    try {
      if (!console.awaitLine(vmId, 1, PATIENCE)) {
        return RunResult.failed(
            spec, vmId + " printed nothing within " + PATIENCE, GuestRates.UNMEASURED);
      }
      ActorRef<VmActor.Command> vm = vmRef(source, vmId);
      GuestCpuClock cpu = GuestCpuClock.of(vmId);
      GuestRates.Rate live1 = rateOver(vm, cpu);
      Recorded recorded = recordingWindow(source, vm, cpu, vmId);
      GuestRates.Rate live2 = rateOver(vm, cpu);
      GuestRates.Rate live =
          new GuestRates.Rate(
              mean(live1.perWallSecond(), live2.perWallSecond()),
              mean(live1.perCpuSecond(), live2.perCpuSecond()));

      Migrated migrated = migrate(source, vm, cpu, vmId, plan.parameters(spec));
      MigrationReport report = migrated.report();
      GuestRates rates =
          new GuestRates(
              live, recorded.rate(), migrated.sourceRate(), recorded.traceBytesPerSecond());
      owner = report.outcome() == Outcome.COMMITTED ? TARGET : SOURCE;
      // The owner prints on: two lines after the switch show the sequence goes on past it.
      long after = Math.max(report.outputContinuity().lastSourceLine(), console.highest(vmId)) + 2;
      console.awaitLine(vmId, after, PATIENCE);
      InvariantCheck invariants = InvariantCheck.of(report, console.sequence(vmId));
      Optional<ModelEstimate> prediction =
          RunModel.estimate(
              report, rates, plan.parameters(spec), spec.link().bytesPerSecond(), settings);
      return new RunResult(spec, Optional.of(report), "", rates, invariants, prediction);
    } catch (RuntimeException e) {
      return RunResult.failed(spec, e.toString(), GuestRates.UNMEASURED);
    } finally {
      stopVm(cluster.node(owner), vmId);
    }
  }

  private String startVm(EmbeddedCluster.Node node, RunSpec spec) {
    EvalWorkload w = spec.workload();
    long quota = spec.quota() ? plan.quotaInstructionsPerSecond() : 0;
    HostAgent.StartVmReply answer =
        ask(
            node,
            node.hostAgent(),
            r ->
                new HostAgent.StartConfiguredVm(
                    w.image(), w.machineConfig(), w.sliceInstructions(), quota, r));
    if (answer instanceof HostAgent.StartRefused refused) {
      throw new IllegalStateException(
          "node " + node.name() + " refused " + w.image() + ": " + refused.reason());
    }
    return ((HostAgent.VmStarted) answer).vmId();
  }

  private ActorRef<VmActor.Command> vmRef(EmbeddedCluster.Node node, String vmId) {
    HostAgent.VmHandle handle = ask(node, node.hostAgent(), r -> new HostAgent.GetVm(vmId, r));
    if (!handle.found()) {
      throw new IllegalStateException("node " + node.name() + " does not list " + vmId);
    }
    return handle.ref();
  }

  /** Instructions per second of wall and of CPU time over one window, from two exact counts. */
  private GuestRates.Rate rateOver(ActorRef<VmActor.Command> vm, GuestCpuClock cpu)
      throws InterruptedException {
    Counted first = count(vm, cpu);
    Thread.sleep(plan.window().toMillis()); // the measurement window itself
    Counted second = count(vm, cpu);
    return second.rateSince(first);
  }

  private static double mean(double a, double b) {
    return a < 0 || b < 0 ? -1 : (a + b) / 2;
  }

  /** An exact instruction count, when it was read, and the guest thread's CPU time then. */
  private record Counted(long instructions, long nanos, long cpuNanos) {
    GuestRates.Rate rateSince(Counted before) {
      long n = instructions - before.instructions;
      long wall = nanos - before.nanos;
      long cpu = before.cpuNanos < 0 || cpuNanos < 0 ? 0 : cpuNanos - before.cpuNanos;
      return new GuestRates.Rate(wall <= 0 ? -1 : n * 1e9 / wall, cpu <= 0 ? -1 : n * 1e9 / cpu);
    }
  }

  private Counted count(ActorRef<VmActor.Command> vm, GuestCpuClock cpu) {
    VmActor.Reply reply = ask(cluster.node(SOURCE), vm, VmActor.GetStatus::new);
    if (!(reply instanceof VmActor.Status status)) {
      throw new IllegalStateException("the VM's status: " + reply);
    }
    return new Counted(status.instructions(), System.nanoTime(), cpu.cpuNanos());
  }

  private record Recorded(GuestRates.Rate rate, double traceBytesPerSecond) {}

  /**
   * A window in which the guest records every input as a CR/TR source does, the trace encoded as
   * the migration's stream encodes it and counted; the checkpoint that comes with the recording is
   * released at once, so the window costs what recording costs and no copy-on-write.
   */
  private Recorded recordingWindow(
      EmbeddedCluster.Node node, ActorRef<VmActor.Command> vm, GuestCpuClock cpu, String vmId)
      throws InterruptedException {
    VmActor.Reply reply =
        ask(node, vm, r -> new VmActor.BeginRecording(RECORDER_BUFFER_SEGMENTS, r));
    if (!(reply instanceof VmActor.RecordingStarted started)) {
      throw new IllegalStateException("the guest cannot record: " + reply);
    }
    started.checkpoint().close();
    Pair<UniqueKillSwitch, CompletionStage<Long>> drain =
        started
            .trace()
            .source()
            .via(TraceStreams.encodeAsAvailable(vmId + "/evaluation-trace", 4))
            .viaMat(KillSwitches.single(), Keep.right())
            .toMat(
                Sink.fold(
                    0L, (Long sum, org.apache.pekko.util.ByteString frame) -> sum + frame.size()),
                Keep.both())
            .run(node.system());
    Counted first = count(vm, cpu);
    Thread.sleep(plan.window().toMillis()); // the measurement window itself
    Counted second = count(vm, cpu);
    ask(node, vm, VmActor.StopRecording::new);
    drain.first().shutdown();
    long bytes = drain.second().toCompletableFuture().join();
    double seconds = (second.nanos() - first.nanos()) / 1e9;
    return new Recorded(second.rateSince(first), seconds > 0 ? bytes / seconds : -1);
  }

  private record Migrated(MigrationReport report, GuestRates.Rate sourceRate) {}

  /**
   * Migrates {@code vmId} to the target node. The source's rate during the migration is taken from
   * its count when the migration starts to the freeze instruction, timed by the FREEZE progress
   * update (no status polls: they would cut the guest's slices and help CR/TR's coverage); an
   * aborted migration's source is counted to its end instead.
   */
  private Migrated migrate(
      EmbeddedCluster.Node node,
      ActorRef<VmActor.Command> vm,
      GuestCpuClock cpu,
      String vmId,
      MigrationParameters parameters) {
    Counted start = count(vm, cpu);
    AtomicLong frozeAtNanos = new AtomicLong();
    AtomicLong frozeAtCpuNanos = new AtomicLong(-1);
    MigrationReport report;
    try {
      report =
          node.client()
              .start(
                  vmId,
                  TARGET,
                  parameters,
                  p -> {
                    if (p.phase() == Phase.FREEZE && frozeAtNanos.get() == 0) {
                      frozeAtCpuNanos.set(cpu.cpuNanos());
                      frozeAtNanos.set(System.nanoTime());
                    }
                  })
              .report()
              .toCompletableFuture()
              .get(parameters.deadline().plus(PATIENCE).toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("no report for " + vmId + ": " + e, e);
    }
    GuestRates.Rate rate;
    if (report.outcome() == Outcome.COMMITTED && frozeAtNanos.get() > 0) {
      rate =
          new Counted(report.freezeInstruction(), frozeAtNanos.get(), frozeAtCpuNanos.get())
              .rateSince(start);
    } else if (report.outcome() == Outcome.ABORTED) {
      rate = count(vm, cpu).rateSince(start);
    } else {
      rate = GuestRates.Rate.UNMEASURED;
    }
    log.accept(
        String.format(
            "  %s %s: %s downtime %d ms, total %d ms, %d rounds, %d bytes%s",
            vmId,
            parameters.strategy().cliName(),
            report.outcome(),
            report.downtimeMillis(),
            report.totalTimeMillis(),
            report.rounds().size(),
            report.bytesTotal(),
            report.reason().isEmpty() ? "" : " (" + report.reason() + ")"));
    return new Migrated(report, rate);
  }

  private void stopVm(EmbeddedCluster.Node node, String vmId) {
    try {
      HostAgent.StopVmReply reply = ask(node, node.hostAgent(), r -> new HostAgent.StopVm(vmId, r));
      if (reply instanceof HostAgent.StopRefused refused) {
        log.accept("  node " + node.name() + " did not stop " + vmId + ": " + refused.reason());
      }
    } catch (RuntimeException e) {
      log.accept("  node " + node.name() + " did not stop " + vmId + ": " + e.getMessage());
    }
  }

  private static <Q, T> T ask(
      EmbeddedCluster.Node node, ActorRef<Q> to, Function<ActorRef<T>, Q> message) {
    try {
      return AskPattern.ask(to, message::apply, PATIENCE, node.system().scheduler())
          .toCompletableFuture()
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException("no answer from " + to.path().name() + ": " + e, e);
    }
  }
}
