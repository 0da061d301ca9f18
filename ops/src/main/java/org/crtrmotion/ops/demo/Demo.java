package org.crtrmotion.ops.demo;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.crtrmotion.actors.coordinator.CoordinatorSettings;
import org.crtrmotion.actors.embedded.EmbeddedCluster;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.actors.vm.VmActor;

/**
 * The demo's run: a two-node cluster in this JVM; for each strategy a fresh guest booted on node
 * {@code a}, left to run a while, migrated live to node {@code b} through {@link
 * org.crtrmotion.actors.coordinator.MigrationClient}, watched printing on {@code b}, then stopped.
 * A fresh guest per strategy puts both migrations on the same footing: the same guest, run the same
 * while, from the same node to the same node.
 */
final class Demo implements AutoCloseable {
  static final String SOURCE = "a";
  static final String TARGET = "b";

  /** Long enough for a VM to boot or stop on a loaded machine. */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** Lines the target must print after going live for the demo to show the switch. */
  private static final int LINES_AFTER_SWITCH = 3;

  private final PrintWriter log;
  private final Object lock;
  private final EmbeddedCluster cluster;
  private final ConsolePrinter console;

  /**
   * Starts the cluster; the guests' consoles and the progress go to {@code log}.
   *
   * @param lock what every writer to {@code log} synchronises on
   */
  Demo(PrintWriter log, Object lock, long maxGuestMemoryBytes) {
    this.log = log;
    this.lock = lock;
    this.console = new ConsolePrinter(log, lock);
    say("starting nodes " + SOURCE + " and " + TARGET + " (127.0.0.1, two actor systems)");
    this.cluster =
        EmbeddedCluster.start(
            List.of(SOURCE, TARGET), maxGuestMemoryBytes, CoordinatorSettings.defaults());
    for (EmbeddedCluster.Node node : cluster.nodes()) {
      watchConsoles(node);
    }
  }

  private void watchConsoles(EmbeddedCluster.Node node) {
    ActorRef<VmActor.VmEvent> watcher =
        node.system()
            .systemActorOf(
                Behaviors.<VmActor.VmEvent>receiveMessage(
                    event -> {
                      if (event instanceof VmActor.ConsoleLine line) {
                        console.accept(node.name(), line);
                      } else if (event instanceof VmActor.Ended ended) {
                        say(
                            ended.vmId()
                                + " ended on node "
                                + node.name()
                                + ": "
                                + ended.reason()
                                + " "
                                + ended.detail());
                      }
                      return Behaviors.same();
                    }),
                "demo-console",
                Props.empty());
    node.hostAgent().tell(new HostAgent.WatchConsoles(watcher));
  }

  /**
   * Migrates a fresh {@code workload} guest from a to b once per strategy, in order, adding each
   * result to {@code results} as it comes (so that a failure later keeps the reports before it).
   *
   * @param quotaInstructionsPerSecond the guest's vCPU quota, 0 for none
   */
  void run(
      Workload workload,
      long quotaInstructionsPerSecond,
      List<Strategy> strategies,
      MigrationParameters base,
      Duration runBefore,
      List<DemoResult> results)
      throws Exception {
    for (Strategy strategy : strategies) {
      results.add(
          migrateOnce(
              workload, quotaInstructionsPerSecond, base.withStrategy(strategy), runBefore));
    }
  }

  private DemoResult migrateOnce(
      Workload workload, long quota, MigrationParameters parameters, Duration runBefore)
      throws Exception {
    EmbeddedCluster.Node source = cluster.node(SOURCE);
    String name = parameters.strategy().cliName();
    String vmId = startVm(source, workload, quota);
    say(
        name
            + ": "
            + workload.image()
            + " runs as "
            + vmId
            + " on node "
            + SOURCE
            + (quota > 0 ? " with a vCPU quota of " + quota + " instructions/s" : ""));
    // The first line shows the guest runs; then it runs the while asked before migrating.
    if (!console.awaitLine(vmId, 1, PATIENCE)) {
      throw new IllegalStateException(vmId + " printed nothing within " + PATIENCE);
    }
    Thread.sleep(runBefore.toMillis()); // what the user asked: a guest that has run a while
    say(name + ": migrating " + vmId + " live from " + SOURCE + " to " + TARGET);
    ProgressPrinter progress = new ProgressPrinter(name, this::say);
    MigrationReport report =
        source
            .client()
            .start(vmId, TARGET, parameters, progress::accept)
            .report()
            .toCompletableFuture()
            .get(parameters.deadline().plus(PATIENCE).toMillis(), TimeUnit.MILLISECONDS);
    String owner = report.outcome() == Outcome.COMMITTED ? TARGET : SOURCE;
    say(name + ": " + report.outcome() + (report.reason().isEmpty() ? "" : ": " + report.reason()));
    long lastSource = report.outputContinuity().lastSourceLine();
    long shown = Math.max(lastSource, report.outputContinuity().firstTargetLine());
    if (!console.awaitLine(vmId, shown + LINES_AFTER_SWITCH, PATIENCE)) {
      say(vmId + " printed no line " + (shown + LINES_AFTER_SWITCH) + " on node " + owner);
    }
    stopVm(cluster.node(owner), vmId);
    return new DemoResult(workload, report, console.finish(vmId));
  }

  private String startVm(EmbeddedCluster.Node node, Workload workload, long quota)
      throws Exception {
    CompletionStage<HostAgent.StartVmReply> reply =
        AskPattern.ask(
            node.hostAgent(),
            r ->
                new HostAgent.StartConfiguredVm(
                    workload.image(),
                    workload.machineConfig(),
                    workload.sliceInstructions(),
                    quota,
                    r),
            PATIENCE,
            node.system().scheduler());
    HostAgent.StartVmReply answer = reply.toCompletableFuture().get();
    if (answer instanceof HostAgent.StartRefused refused) {
      throw new IllegalStateException(
          "node "
              + node.name()
              + " refused to start "
              + workload.image()
              + ": "
              + refused.reason());
    }
    return ((HostAgent.VmStarted) answer).vmId();
  }

  private void stopVm(EmbeddedCluster.Node node, String vmId) throws Exception {
    CompletionStage<HostAgent.StopVmReply> reply =
        AskPattern.ask(
            node.hostAgent(),
            r -> new HostAgent.StopVm(vmId, r),
            PATIENCE,
            node.system().scheduler());
    if (reply.toCompletableFuture().get() instanceof HostAgent.StopRefused refused) {
      say("node " + node.name() + " did not stop " + vmId + ": " + refused.reason());
    }
  }

  private void say(String line) {
    synchronized (lock) {
      log.println("demo | " + line);
      log.flush();
    }
  }

  @Override
  public void close() {
    cluster.close();
  }
}
