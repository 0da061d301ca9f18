package org.crtrmotion.actors.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.migration.AutoConverge;
import org.crtrmotion.actors.migration.DigestCheck;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.NonConvergencePolicy;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.migration.Phase;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.streams.StreamMetrics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Faults before the commit point end in ABORTED with the reason, the source still running (resumed
 * and unthrottled when it was frozen) and printing, the directory unchanged. The faults both
 * strategies share run once per strategy; CR/TR-Motion's own (a cut trace stream resumes and the
 * migration commits, non-convergence, a trace stream that cannot resume) run with CR/TR only.
 */
class MigrationFaultTest {
  private static final long PATIENCE_SECONDS = MigrationNode.PATIENCE.toSeconds();

  private static final MigrationParameters STAYS_IN_TRANSFER = staysInTransfer(Strategy.CRTR);

  /** Never freezes by itself: the downtime-limit is below the hand-over, the rounds unbounded. */
  private static MigrationParameters staysInTransfer(Strategy strategy) {
    return StrategyParameters.of(strategy)
        .withDowntimeLimit(Duration.ofMillis(1))
        .withMaxRounds(1_000_000)
        .withNonConvergencePolicy(NonConvergencePolicy.ABORT)
        .withConvergenceWindow(1_000_000);
  }

  private static MigrationNode a;
  private static MigrationNode b;

  @BeforeAll
  static void start() {
    List<MigrationNode> nodes = MigrationNode.cluster(CrtrMigrationTest.SETTINGS, "a", "b");
    a = nodes.get(0);
    b = nodes.get(1);
  }

  @AfterEach
  void faultsOff() {
    for (MigrationNode n : List.of(a, b)) {
      n.faults
          .misreportTargetDigest(false)
          .withholdCaughtUp(false)
          .cutTraceAtRound(0)
          .partitionTraceAtRound(0)
          .corruptTraceAtRound(0);
    }
  }

  @AfterAll
  static void stop() {
    b.close();
    a.close();
  }

  /** A migration from a with its progress updates queued. */
  private record Watched(
      MigrationClient.Migration migration,
      LinkedBlockingQueue<MigrationEvent.ProgressUpdate> updates) {
    String id() throws Exception {
      return migration.migrationId().toCompletableFuture().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    }

    MigrationReport report() throws Exception {
      return migration.report().toCompletableFuture().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
    }

    void awaitPhase(Phase phase) throws InterruptedException {
      while (true) {
        MigrationEvent.ProgressUpdate u = updates.poll(PATIENCE_SECONDS, TimeUnit.SECONDS);
        assertTrue(u != null, "no progress update in " + PATIENCE_SECONDS + " s");
        if (u.phase() == phase && (phase != Phase.TRANSFER || u.round() >= 1)) {
          return;
        }
      }
    }
  }

  private static Watched start(String vmId, String target, MigrationParameters parameters) {
    LinkedBlockingQueue<MigrationEvent.ProgressUpdate> updates = new LinkedBlockingQueue<>();
    return new Watched(a.client.start(vmId, target, parameters, updates::add), updates);
  }

  private static String runningGuest(ConsoleRecord[] console) {
    String vmId = a.startVm("memory.elf", CrtrMigrationTest.memoryGuest());
    assertInstanceOf(VmDirectory.Location.class, a.register(vmId));
    console[0] = new ConsoleRecord(vmId);
    console[0].awaitFrom(a, 2);
    return vmId;
  }

  /** The source still owns, runs and prints: lines go on from a, the directory did not move. */
  private static void sourceRunsOn(String vmId, ConsoleRecord console, MigrationReport report) {
    assertEquals(Outcome.ABORTED, report.outcome());
    assertTrue(a.vmIds().contains(vmId), "a still runs " + vmId);
    console.awaitFrom(a, console.lastFrom(a) + 3);
    console.assertOneSequenceFrom1();
    VmDirectory.Location at = (VmDirectory.Location) a.lookup(vmId);
    assertEquals("a", at.node());
    assertEquals(1, at.epoch());
    a.stopVm(vmId);
  }

  private static CancelReply cancel(String id) throws Exception {
    return a.client.cancel(id).toCompletableFuture().get(PATIENCE_SECONDS, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void aDigestMismatchAtTheFreezePointAbortsAndTheSourceRunsOn(Strategy strategy) throws Exception {
    ConsoleRecord[] console = new ConsoleRecord[1];
    String vmId = runningGuest(console);
    b.faults.misreportTargetDigest(true);

    MigrationReport report = start(vmId, "b", StrategyParameters.of(strategy)).report();

    assertEquals(DigestCheck.MISMATCH, report.digestCheck(), report.toString());
    assertTrue(report.reason().startsWith("digest mismatch at the freeze point"), report.reason());
    sourceRunsOn(vmId, console[0], report);
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void cancelWhilePreparingIsAcknowledgedAndAborts(Strategy strategy) throws Exception {
    ConsoleRecord[] console = new ConsoleRecord[1];
    String vmId = runningGuest(console);
    // No node answers to this name: the migration stays in PREPARE until cancelled.
    Watched w = start(vmId, "nowhere", StrategyParameters.of(strategy));

    CancelReply reply = cancel(w.id());

    assertEquals(new CancelReply.Accepted(w.id(), Phase.PREPARE), reply);
    MigrationReport report = w.report();
    assertEquals("cancelled in phase PREPARE", report.reason());
    sourceRunsOn(vmId, console[0], report);
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void cancelDuringTheTransferIsAcknowledgedAndAborts(Strategy strategy) throws Exception {
    ConsoleRecord[] console = new ConsoleRecord[1];
    String vmId = runningGuest(console);
    Watched w = start(vmId, "b", staysInTransfer(strategy));
    w.awaitPhase(Phase.TRANSFER);

    CancelReply reply = cancel(w.id());

    assertEquals(new CancelReply.Accepted(w.id(), Phase.TRANSFER), reply);
    MigrationReport report = w.report();
    assertEquals("cancelled in phase TRANSFER", report.reason());
    assertFalse(report.rounds().isEmpty());
    sourceRunsOn(vmId, console[0], report);
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void cancelWhileFrozenResumesTheSourceAndAborts(Strategy strategy) throws Exception {
    ConsoleRecord[] console = new ConsoleRecord[1];
    String vmId = runningGuest(console);
    b.faults.withholdCaughtUp(true); // the source stays frozen, waiting for the target
    Watched w = start(vmId, "b", StrategyParameters.of(strategy));
    w.awaitPhase(Phase.FREEZE);

    CancelReply reply = cancel(w.id());

    assertEquals(new CancelReply.Accepted(w.id(), Phase.FREEZE), reply);
    MigrationReport report = w.report();
    assertEquals("cancelled in phase FREEZE", report.reason());
    assertEquals(DigestCheck.NOT_REACHED, report.digestCheck());
    sourceRunsOn(vmId, console[0], report);
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void aMigrationPastItsDeadlineAbortsAndTheSourceRunsOn(Strategy strategy) throws Exception {
    ConsoleRecord[] console = new ConsoleRecord[1];
    String vmId = runningGuest(console);

    MigrationReport report =
        start(vmId, "b", staysInTransfer(strategy).withDeadline(Duration.ofSeconds(2))).report();

    assertTrue(report.reason().startsWith("the deadline of PT2S passed"), report.reason());
    sourceRunsOn(vmId, console[0], report);
  }

  @Test
  void theProgressOfACrtrMigrationCarriesItsTraceStreamsAcknowledgementsAndSpill()
      throws Exception {
    ConsoleRecord[] console = new ConsoleRecord[1];
    String vmId = runningGuest(console);

    Watched w =
        start(
            vmId,
            "b",
            CrtrMigrationTest.PARAMETERS
                .withDowntimeLimit(Duration.ofMillis(1))
                .withNonConvergencePolicy(NonConvergencePolicy.ABORT)
                .withConvergenceWindow(1_000)
                .withMaxRounds(5));
    MigrationReport report = w.report();

    assertEquals(Outcome.COMMITTED, report.outcome(), report.toString());
    List<StreamMetrics.Reliability> states =
        w.updates().stream()
            .map(MigrationEvent.ProgressUpdate::stream)
            .filter(s -> s != null)
            .toList();
    assertFalse(states.isEmpty(), "no progress update carried the trace stream's state");
    assertTrue(
        states.stream().anyMatch(s -> s.acknowledgedSequence() > 0),
        "the target acknowledged trace frames: " + states);
    assertTrue(states.stream().allMatch(s -> s.diskBudgetBytes() > 0), states.toString());
    long last = report.outputContinuity().lastSourceLine();
    console[0].drainTo(a, last);
    console[0].awaitFrom(b, last + 2);
  }

  @Test
  void aTraceStreamCutDuringTheTransferResumesAndTheMigrationCommits() throws Exception {
    ConsoleRecord[] console = new ConsoleRecord[1];
    String vmId = runningGuest(console);
    a.faults.cutTraceAtRound(1);

    MigrationReport report =
        start(
                vmId,
                "b",
                CrtrMigrationTest.PARAMETERS
                    .withDowntimeLimit(Duration.ofMillis(1))
                    .withNonConvergencePolicy(NonConvergencePolicy.ABORT)
                    .withConvergenceWindow(1_000)
                    .withMaxRounds(8))
            .report();

    assertEquals(Outcome.COMMITTED, report.outcome(), report.toString());
    assertEquals(DigestCheck.MATCH, report.digestCheck());
    CompletableFuture<Integer> connections = a.faults.traceConnections().toCompletableFuture();
    assertTrue(connections.get(PATIENCE_SECONDS, TimeUnit.SECONDS) >= 2, "the stream resumed");
    long last = report.outputContinuity().lastSourceLine();
    console[0].drainTo(a, last);
    console[0].awaitFrom(b, last + 2);
    console[0].assertOneSequenceFrom1();
  }

  /**
   * A downtime-limit under the hand-over cannot be met: the expected downtime stops shrinking at
   * the hand-over's floor, and the watch sees it within a few rounds.
   */
  private static MigrationParameters cannotConverge(NonConvergencePolicy policy) {
    return CrtrMigrationTest.PARAMETERS
        .withDowntimeLimit(Duration.ofMillis(1))
        .withMaxRounds(1_000_000)
        .withNonConvergencePolicy(policy);
  }

  @Test
  void aMigrationThatStopsConvergingAbortsWithTheReasonUnderTheAbortPolicy() throws Exception {
    ConsoleRecord[] console = new ConsoleRecord[1];
    String vmId = runningGuest(console);

    MigrationReport report = start(vmId, "b", cannotConverge(NonConvergencePolicy.ABORT)).report();

    assertTrue(report.reason().startsWith("not converging:"), report.reason());
    assertTrue(report.rounds().size() >= 3, report.toString());
    sourceRunsOn(vmId, console[0], report);
  }

  @Test
  void underTheThrottlePolicyACrtrMigrationThrottlesInStepsAndAbortsWhenTheyAreSpent()
      throws Exception {
    ConsoleRecord[] console = new ConsoleRecord[1];
    String vmId = runningGuest(console);

    MigrationReport report =
        start(
                vmId,
                "b",
                cannotConverge(NonConvergencePolicy.THROTTLE)
                    .withAutoConverge(new AutoConverge(true, 50, 49, 99)))
            .report();

    assertTrue(report.reason().endsWith("auto-converge is spent at 99 %"), report.reason());
    assertEquals(99, report.maxThrottlePercent(), report.toString());
    assertTrue(
        report.rounds().stream().anyMatch(r -> r.throttlePercent() == 50), report.toString());
    sourceRunsOn(vmId, console[0], report);
  }

  @Test
  void underTheSwitchPolicyACrtrMigrationGoesOnByPrecopyInTheSameMigrationAndAbortsWhenThatStalls()
      throws Exception {
    ConsoleRecord[] console = new ConsoleRecord[1];
    String vmId = runningGuest(console);

    MigrationReport report =
        start(vmId, "b", cannotConverge(NonConvergencePolicy.SWITCH_STRATEGY)).report();

    assertTrue(
        report.reason().contains("; already switched from crtr to precopy at round "),
        report.reason());
    assertEquals(Strategy.PRECOPY, report.strategy(), report.toString());
    assertTrue(report.bytesByKind().checkpoint() > 0, "CR/TR ran first: " + report);
    assertTrue(report.bytesByKind().pages() > 0, "then pre-copy: " + report);
    sourceRunsOn(vmId, console[0], report);
    b.kit
        .createTestProbe()
        .awaitAssert(
            MigrationNode.PATIENCE,
            () -> {
              assertFalse(b.vmIds().contains(vmId), "b discarded its copies");
              return null;
            });
  }

  @Test
  void aTraceStreamThatCannotResumeWithinItsDeadlineAbortsTheMigration() throws Exception {
    ConsoleRecord[] console = new ConsoleRecord[1];
    String vmId = runningGuest(console);
    a.faults.partitionTraceAtRound(1);

    MigrationReport report = start(vmId, "b", STAYS_IN_TRANSFER).report();

    assertTrue(report.reason().contains("not resumed within"), report.reason());
    sourceRunsOn(vmId, console[0], report);
  }

  @Test
  void aTraceFrameCorruptedOnTheLinkAbortsTheMigrationAndTheSourceRunsOn() throws Exception {
    ConsoleRecord[] console = new ConsoleRecord[1];
    String vmId = runningGuest(console);
    a.faults.corruptTraceAtRound(1);

    MigrationReport report = start(vmId, "b", STAYS_IN_TRANSFER).report();

    assertTrue(report.reason().contains("corrupt"), report.reason());
    sourceRunsOn(vmId, console[0], report);
  }

  @ParameterizedTest
  @EnumSource(Strategy.class)
  void aTargetNodeThatGoesDownBeforeTheCommitAbortsAndTheSourceRunsOn(Strategy strategy)
      throws Exception {
    // A name of its own per strategy: the previous case's node of that name is gone.
    MigrationNode c = new MigrationNode("c-" + strategy.cliName(), CrtrMigrationTest.SETTINGS);
    c.join(a);
    a.awaitMigrationsOf(List.of(c));
    ConsoleRecord[] console = new ConsoleRecord[1];
    String vmId = runningGuest(console);
    Watched w = start(vmId, c.name, staysInTransfer(strategy));
    w.awaitPhase(Phase.TRANSFER);

    c.close();

    MigrationReport report = w.report();
    assertInstanceOf(String.class, report.reason());
    assertFalse(report.reason().isEmpty());
    sourceRunsOn(vmId, console[0], report);
  }
}
