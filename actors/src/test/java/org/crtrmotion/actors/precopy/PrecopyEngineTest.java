package org.crtrmotion.actors.precopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.MigrationReport;
import org.crtrmotion.actors.migration.Outcome;
import org.crtrmotion.actors.migration.RoundReport;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.actors.vm.GuestImages;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.actors.vm.VmSpec;
import org.crtrmotion.actors.vm.VmState;
import org.crtrmotion.streams.BandwidthCap;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.MachineConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Whole pre-copy migrations in one actor system: engine, source VM, local target. */
class PrecopyEngineTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static int vms;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static VmSpec guest(String image, String bootargs) {
    return new VmSpec(
        "mig-" + ++vms,
        MachineConfig.defaults().withRamBytes(16L << 20).withBootargs(bootargs),
        new BootPlan.BareMetal(GuestImages.load(image)));
  }

  private static <R extends VmActor.Reply> R ask(
      ActorRef<VmActor.Command> vm,
      Function<ActorRef<VmActor.Reply>, VmActor.Command> command,
      Class<R> type) {
    TestProbe<VmActor.Reply> replies = testKit.createTestProbe();
    vm.tell(command.apply(replies.ref()));
    return replies.expectMessageClass(type, PATIENCE);
  }

  private record Running(
      VmSpec spec, ActorRef<VmActor.Command> ref, TestProbe<VmActor.VmEvent> events) {}

  private static Running started(VmSpec spec) {
    ActorRef<VmActor.Command> ref = testKit.spawn(VmActor.create(spec));
    TestProbe<VmActor.VmEvent> events = testKit.createTestProbe();
    ref.tell(new VmActor.Subscribe(events.ref()));
    ask(ref, VmActor.Start::new, VmActor.Status.class);
    return new Running(spec, ref, events);
  }

  private static List<Long> lines(TestProbe<VmActor.VmEvent> events, int count) {
    List<Long> numbers = new ArrayList<>();
    while (numbers.size() < count) {
      numbers.add(events.expectMessageClass(VmActor.ConsoleLine.class, PATIENCE).number());
    }
    return numbers;
  }

  /** Every line the source emitted, which all came before its stop reply. */
  private static List<Long> drain(TestProbe<VmActor.VmEvent> events) {
    List<Long> numbers = new ArrayList<>();
    while (true) {
      try {
        if (events.receiveMessage(Duration.ofMillis(200)) instanceof VmActor.ConsoleLine l) {
          numbers.add(l.number());
        }
      } catch (AssertionError nothingLeft) {
        return numbers;
      }
    }
  }

  private record Migration(
      MigrationReport report, LocalPrecopyTarget target, List<RoundReport> progress) {}

  private static PrecopyEngine engine(
      Running source,
      MigrationParameters parameters,
      LocalPrecopyTarget target,
      PrecopyEngine.CommitPoint commitPoint,
      java.util.function.Consumer<RoundReport> progress) {
    return new PrecopyEngine(
        testKit.system(),
        source.ref(),
        target,
        commitPoint,
        new PrecopyEngine.Settings(
            "m-" + source.spec().vmId(),
            source.spec().vmId(),
            "a",
            "b",
            parameters,
            PrecopyEngine.Settings.DEFAULT_HANDOVER_MILLIS,
            16),
        new BandwidthCap(parameters.maxBandwidthBytesPerSecond()),
        System::nanoTime,
        progress);
  }

  private static Migration migrate(
      Running source, MigrationParameters parameters, TestProbe<VmActor.VmEvent> targetEvents)
      throws Exception {
    LocalPrecopyTarget target =
        new LocalPrecopyTarget(testKit.system(), source.spec(), targetEvents.ref());
    List<RoundReport> progress = new CopyOnWriteArrayList<>();
    PrecopyEngine engine =
        engine(source, parameters, target, PrecopyEngine.CommitPoint.NONE, progress::add);
    MigrationReport report =
        engine
            .start()
            .toCompletableFuture()
            .get(parameters.deadline().toSeconds() + 30, TimeUnit.SECONDS);
    System.out.println(
        source.spec().vmId()
            + ": "
            + report.outcome()
            + " "
            + report.reason()
            + " rounds="
            + report.rounds().size()
            + " total="
            + report.totalTimeMillis()
            + " ms setup="
            + report.setupTimeMillis()
            + " ms downtime="
            + report.downtimeMillis()
            + " ms bytes="
            + report.bytesByKind()
            + " throttle="
            + report.maxThrottlePercent());
    return new Migration(report, target, progress);
  }

  private static void assertCommittedWithContinuousLines(
      Running source, Migration m, TestProbe<VmActor.VmEvent> targetEvents, List<Long> before) {
    MigrationReport r = m.report();
    assertEquals(Outcome.COMMITTED, r.outcome(), r.reason());
    assertTrue(r.digestMatch());
    assertEquals(Strategy.PRECOPY, r.strategy());
    assertTrue(
        r.bytesByKind().pages() > 0 && r.bytesByKind().control() > 0, r.bytesByKind().toString());
    assertEquals(r.rounds(), m.progress());
    assertTrue(
        r.expectedDowntimeMillis() <= 300, "froze on an estimate of " + r.expectedDowntimeMillis());
    assertTrue(r.freezeInstruction() > 0);
    TestProbe<Object> watcher = testKit.createTestProbe();
    watcher.expectTerminated(source.ref(), PATIENCE);

    List<Long> sourceLines = new ArrayList<>(before);
    sourceLines.addAll(drain(source.events()));
    long last = r.outputContinuity().lastSourceLine();
    assertEquals(last, sourceLines.get(sourceLines.size() - 1), "the source's last line");
    for (int i = 1; i < sourceLines.size(); i++) {
      assertEquals(sourceLines.get(i - 1) + 1, sourceLines.get(i), "source lines " + sourceLines);
    }
    assertEquals(List.of(last + 1, last + 2), lines(targetEvents, 2), "the target goes on");
    ask(m.target().vm(), VmActor.Stop::new, VmActor.Status.class);
  }

  @Test
  void aRunningMemoryGuestMigratesCommittedWithEqualDigestsAndContinuousLines() throws Exception {
    Running source = started(guest("memory.elf", "wss=1M rate=16 ticks=0 report=20"));
    List<Long> before = lines(source.events(), 2);
    TestProbe<VmActor.VmEvent> targetEvents = testKit.createTestProbe();

    Migration m = migrate(source, MigrationParameters.defaults(Strategy.PRECOPY), targetEvents);

    assertCommittedWithContinuousLines(source, m, targetEvents, before);
    assertEquals(0, m.report().maxThrottlePercent());
  }

  @Test
  void anIdleGuestMigratesCommittedWithEqualDigestsAndContinuousLines() throws Exception {
    Running source = started(guest("idle.elf", "period_us=2000 ticks=0"));
    List<Long> before = lines(source.events(), 3);
    TestProbe<VmActor.VmEvent> targetEvents = testKit.createTestProbe();

    Migration m = migrate(source, MigrationParameters.defaults(Strategy.PRECOPY), targetEvents);

    assertCommittedWithContinuousLines(source, m, targetEvents, before);
  }

  @Test
  void aGuestDirtyingFasterThanATinyLinkEndsByAutoConvergeOrAbortWithinItsDeadline()
      throws Exception {
    Running source = started(guest("memory.elf", "wss=256K rate=64 ticks=0 report=200"));
    List<Long> before = lines(source.events(), 1);
    MigrationParameters tiny =
        MigrationParameters.defaults(Strategy.PRECOPY)
            .withMaxBandwidth(640 << 10)
            .withDeadline(Duration.ofSeconds(30));
    tiny =
        new MigrationParameters(
            tiny.strategy(),
            tiny.downtimeLimit(),
            tiny.maxBandwidthBytesPerSecond(),
            tiny.autoConverge(),
            tiny.onNonConvergence(),
            2,
            tiny.maxRounds(),
            tiny.deadline());
    TestProbe<VmActor.VmEvent> targetEvents = testKit.createTestProbe();

    Migration m = migrate(source, tiny, targetEvents);

    MigrationReport r = m.report();
    assertTrue(
        r.totalTimeMillis() <= tiny.deadline().toMillis() + 5_000, "took " + r.totalTimeMillis());
    assertTrue(r.maxThrottlePercent() >= 20, "auto-converge throttled: " + r);
    if (r.outcome() == Outcome.COMMITTED) {
      assertCommittedWithContinuousLines(source, m, targetEvents, before);
    } else {
      assertTrue(
          r.reason().contains("not converging")
              || r.reason().contains("max-rounds")
              || r.reason().contains("deadline"),
          r.reason());
      assertSourceRunsOnWithoutGap(source, before);
      ask(source.ref(), VmActor.Stop::new, VmActor.Status.class);
    }
  }

  /** The source runs, unthrottled, and its lines from {@code before} on have no gap. */
  private static void assertSourceRunsOnWithoutGap(Running source, List<Long> before) {
    VmActor.Status s = ask(source.ref(), VmActor.GetStatus::new, VmActor.Status.class);
    assertEquals(VmState.RUNNING, s.state());
    assertEquals(0, s.throttlePercent(), "the source runs on unthrottled");
    TestProbe<VmActor.VmEvent> later = testKit.createTestProbe();
    source.ref().tell(new VmActor.Subscribe(later.ref()));
    long next = lines(later, 1).get(0);
    List<Long> all = new ArrayList<>(before);
    while (all.get(all.size() - 1) < next) {
      all.addAll(lines(source.events(), 1));
    }
    for (int i = 1; i < all.size(); i++) {
      assertEquals(all.get(i - 1) + 1, all.get(i), "source lines");
    }
  }

  @Test
  void aCancelDuringTheRoundsAbortsWithTheReasonAndTheSourceRunsOn() throws Exception {
    Running source = started(guest("memory.elf", "wss=256K rate=64 ticks=0 report=200"));
    List<Long> before = lines(source.events(), 1);
    LocalPrecopyTarget target = new LocalPrecopyTarget(testKit.system(), source.spec(), null);
    java.util.concurrent.CompletableFuture<RoundReport> firstRound =
        new java.util.concurrent.CompletableFuture<>();
    PrecopyEngine engine =
        engine(
            source,
            MigrationParameters.defaults(Strategy.PRECOPY).withMaxBandwidth(640 << 10),
            target,
            PrecopyEngine.CommitPoint.NONE,
            firstRound::complete);
    var report = engine.start();
    firstRound.get(30, TimeUnit.SECONDS);

    assertTrue(engine.cancel("by the test"));
    MigrationReport r = report.toCompletableFuture().get(30, TimeUnit.SECONDS);

    assertEquals(Outcome.ABORTED, r.outcome());
    assertEquals("cancelled: by the test", r.reason());
    testKit.createTestProbe().expectTerminated(target.vm(), PATIENCE);
    assertSourceRunsOnWithoutGap(source, before);
    ask(source.ref(), VmActor.Stop::new, VmActor.Status.class);
  }

  @Test
  void aRefusedCommitPointAfterTheFreezeAbortsAndTheFrozenSourceResumes() throws Exception {
    Running source = started(guest("memory.elf", "wss=1M rate=16 ticks=0 report=20"));
    List<Long> before = lines(source.events(), 2);
    LocalPrecopyTarget target = new LocalPrecopyTarget(testKit.system(), source.spec(), null);
    PrecopyEngine engine =
        engine(
            source,
            MigrationParameters.defaults(Strategy.PRECOPY),
            target,
            at ->
                java.util.concurrent.CompletableFuture.failedFuture(
                    new IllegalStateException("stale epoch")),
            x -> {});

    MigrationReport r = engine.start().toCompletableFuture().get(60, TimeUnit.SECONDS);

    assertEquals(Outcome.ABORTED, r.outcome());
    assertTrue(r.reason().contains("the commit point: stale epoch"), r.reason());
    testKit.createTestProbe().expectTerminated(target.vm(), PATIENCE);
    assertSourceRunsOnWithoutGap(source, before);
    ask(source.ref(), VmActor.Stop::new, VmActor.Status.class);
  }
}
