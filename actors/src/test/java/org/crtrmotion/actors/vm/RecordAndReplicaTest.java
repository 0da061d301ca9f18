package org.crtrmotion.actors.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.crtrmotion.streams.CheckpointStreams;
import org.crtrmotion.streams.CheckpointTransfer;
import org.crtrmotion.streams.ReplayFeedSink;
import org.crtrmotion.streams.TraceStreams;
import org.crtrmotion.vm.input.GrowingFeed;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.time.TimeMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The VM-level operations of a CR/TR migration in one actor system, streams local: the source
 * records from a checkpoint, a replica restores it and replays the trace as it comes, the source
 * freezes at F, the replica catches up to F with the same digests and goes live with the console
 * numbered on from the source's.
 */
class RecordAndReplicaTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static int vms;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** idle.elf in host time, a line every 2 ms: real time reads to record. */
  private static VmSpec idleGuest() {
    return new VmSpec(
        "rec-" + ++vms,
        MachineConfig.defaults()
            .withRamBytes(16L << 20)
            .withTimeMode(TimeMode.HOST)
            .withBootargs("period_us=2000 ticks=0"),
        new BootPlan.BareMetal(GuestImages.load("idle.elf")));
  }

  private static <R extends VmActor.Reply> R ask(
      ActorRef<VmActor.Command> vm,
      java.util.function.Function<ActorRef<VmActor.Reply>, VmActor.Command> command,
      Class<R> type) {
    TestProbe<VmActor.Reply> replies = testKit.createTestProbe();
    vm.tell(command.apply(replies.ref()));
    return replies.expectMessageClass(type, PATIENCE);
  }

  private static long awaitLine(TestProbe<VmActor.VmEvent> events, long number, List<Long> seen) {
    while (true) {
      VmActor.ConsoleLine line = events.expectMessageClass(VmActor.ConsoleLine.class, PATIENCE);
      seen.add(line.number());
      if (line.number() >= number) {
        return line.number();
      }
    }
  }

  @Test
  void replicaCatchesUpToTheFreezePointWithEqualDigestsAndGoesOnWithTheNextLine() {
    VmSpec spec = idleGuest();
    ActorRef<VmActor.Command> source = testKit.spawn(VmActor.create(spec));
    TestProbe<VmActor.VmEvent> sourceEvents = testKit.createTestProbe();
    source.tell(new VmActor.Subscribe(sourceEvents.ref()));
    ask(source, VmActor.Start::new, VmActor.Status.class);
    List<Long> sourceLines = new ArrayList<>();
    awaitLine(sourceEvents, 3, sourceLines);

    VmActor.RecordingStarted rec =
        ask(source, r -> new VmActor.BeginRecording(8, r), VmActor.RecordingStarted.class);
    var system = testKit.system();
    GrowingFeed feed = new GrowingFeed(rec.instructions(), 4_096);
    rec.trace()
        .source()
        .via(TraceStreams.encodeAsAvailable("t/trace", 4))
        .runWith(ReplayFeedSink.into("t/trace", rec.instructions(), feed), system);
    TestProbe<VmActor.ReplicaEvent> replay = testKit.createTestProbe();
    VmActor.Replica replica =
        new VmActor.Replica(
            (console, devices) ->
                CheckpointTransfer.frames(
                        "t/checkpoint",
                        rec.checkpoint(),
                        CheckpointStreams.DEFAULT_CHUNK_BYTES,
                        PATIENCE)
                    .runWith(
                        CheckpointTransfer.restore("t/checkpoint", spec.plan(), console, PATIENCE),
                        system),
            feed,
            replay.ref());
    ActorRef<VmActor.Command> target = testKit.spawn(VmActor.createReplica(spec, replica));
    TestProbe<VmActor.VmEvent> targetEvents = testKit.createTestProbe();
    target.tell(new VmActor.Subscribe(targetEvents.ref()));
    assertEquals(VmState.REPLAYING, ask(target, VmActor.Start::new, VmActor.Status.class).state());
    replay.expectMessageClass(VmActor.Replayed.class, PATIENCE);
    awaitLine(sourceEvents, sourceLines.get(sourceLines.size() - 1) + 5, sourceLines);

    VmActor.Frozen frozen = ask(source, VmActor.Freeze::new, VmActor.Frozen.class);
    VmActor.CaughtUp caughtUp = awaitCaughtUp(replay);
    assertEquals(frozen.instructions(), caughtUp.instructions());
    assertEquals(frozen.digest(), caughtUp.digest());
    assertEquals(frozen.outputDigest(), caughtUp.outputDigest());
    targetEvents.expectNoMessage(Duration.ofMillis(50)); // the replayed output was suppressed

    VmActor.Status live =
        ask(
            target,
            r -> new VmActor.GoLive(frozen.lines() + 1, frozen.pendingLine(), r),
            VmActor.Status.class);
    assertEquals(VmState.RUNNING, live.state());
    assertEquals(
        VmState.STOPPED, ask(source, VmActor.StopMigrated::new, VmActor.Status.class).state());
    // Every line the source emitted came before its freeze; none after, not even a partial one.
    drain(sourceEvents, sourceLines);
    assertEquals(frozen.lines(), sourceLines.get(sourceLines.size() - 1));
    VmActor.ConsoleLine first =
        targetEvents.expectMessageClass(VmActor.ConsoleLine.class, PATIENCE);
    assertEquals(frozen.lines() + 1, first.number());
    assertTrue(first.text().startsWith("tick "), first.text());
    assertEquals(
        frozen.lines() + 2,
        targetEvents.expectMessageClass(VmActor.ConsoleLine.class, PATIENCE).number());
    ask(target, VmActor.Stop::new, VmActor.Status.class);
  }

  /** Takes the lines already queued: the source sent them before its stop reply, which has come. */
  private static void drain(TestProbe<VmActor.VmEvent> events, List<Long> seen) {
    while (true) {
      try {
        if (events.receiveMessage(Duration.ofMillis(100)) instanceof VmActor.ConsoleLine l) {
          seen.add(l.number());
        }
      } catch (AssertionError nothingLeft) {
        return;
      }
    }
  }

  private static VmActor.CaughtUp awaitCaughtUp(TestProbe<VmActor.ReplicaEvent> replay) {
    while (true) {
      VmActor.ReplicaEvent e = replay.receiveMessage(PATIENCE);
      if (e instanceof VmActor.CaughtUp c) {
        return c;
      }
      assertTrue(e instanceof VmActor.Replayed, e.toString());
    }
  }

  @Test
  void aReplicaReplaysAtFullSpeedWhateverItsQuotaAndKeepsTheQuotaOnceLive() {
    long quota = 1_000_000;
    VmSpec spec = idleGuest().withQuota(quota);
    ActorRef<VmActor.Command> source = testKit.spawn(VmActor.create(spec));
    TestProbe<VmActor.VmEvent> sourceEvents = testKit.createTestProbe();
    source.tell(new VmActor.Subscribe(sourceEvents.ref()));
    ask(source, VmActor.Start::new, VmActor.Status.class);
    awaitLine(sourceEvents, 2, new ArrayList<>());
    VmActor.RecordingStarted rec =
        ask(source, r -> new VmActor.BeginRecording(8, r), VmActor.RecordingStarted.class);
    awaitLine(sourceEvents, 6, new ArrayList<>());
    VmActor.Frozen frozen = ask(source, VmActor.Freeze::new, VmActor.Frozen.class);
    // The whole trace is there before the replica starts: it replays as fast as it can.
    GrowingFeed feed = new GrowingFeed(rec.instructions(), 4_096);
    rec.trace()
        .source()
        .via(TraceStreams.encodeAsAvailable("q/trace", 4))
        .runWith(ReplayFeedSink.into("q/trace", rec.instructions(), feed), testKit.system());
    TestProbe<VmActor.ReplicaEvent> replay = testKit.createTestProbe();
    FakeGuestTime time = new FakeGuestTime(1_000);
    ActorRef<VmActor.Command> target =
        testKit.spawn(
            VmActor.createReplica(spec, localReplica(spec, rec, feed, replay.ref()), time));
    ask(target, VmActor.Start::new, VmActor.Status.class);

    VmActor.CaughtUp caughtUp = awaitCaughtUp(replay);

    assertEquals(frozen.instructions(), caughtUp.instructions());
    assertEquals(List.of(), time.waits(), "the quota never paced the replay");
    ask(
        target,
        r -> new VmActor.GoLive(frozen.lines() + 1, frozen.pendingLine(), r),
        VmActor.Status.class);
    ask(source, VmActor.StopMigrated::new, VmActor.Status.class);
    // Live, the copy pays for its slices at the quota: a slice of 1/100 s's worth costs 10 ms.
    List<Long> waits =
        testKit
            .createTestProbe()
            .awaitAssert(
                PATIENCE,
                Duration.ofMillis(20),
                () -> {
                  List<Long> w = time.waits();
                  assertTrue(w.size() >= 3, w.size() + " waits so far");
                  return w;
                });
    assertTrue(waits.stream().allMatch(w -> w > 0 && w <= 10_000_000), waits.toString());
    ask(target, VmActor.Stop::new, VmActor.Status.class);
  }

  private static VmActor.Replica localReplica(
      VmSpec spec,
      VmActor.RecordingStarted rec,
      GrowingFeed feed,
      ActorRef<VmActor.ReplicaEvent> listener) {
    return new VmActor.Replica(
        (console, devices) ->
            CheckpointTransfer.frames(
                    "q/checkpoint",
                    rec.checkpoint(),
                    CheckpointStreams.DEFAULT_CHUNK_BYTES,
                    PATIENCE)
                .runWith(
                    CheckpointTransfer.restore("q/checkpoint", spec.plan(), console, PATIENCE),
                    testKit.system()),
        feed,
        listener);
  }

  @Test
  void whileRecordingTheCoverageOfAGuestAsleepInAHugeSliceMovesByWallClockWithoutAnyOrder() {
    // A slice of 2^40 instructions never ends by count for a guest that sleeps between ticks:
    // before the wall-clock bound its coverage stayed at the checkpoint until an order came.
    VmSpec idle = idleGuest();
    VmSpec spec = new VmSpec(idle.vmId(), idle.config(), idle.plan(), 1L << 40);
    ActorRef<VmActor.Command> source = testKit.spawn(VmActor.create(spec));
    TestProbe<VmActor.VmEvent> events = testKit.createTestProbe();
    source.tell(new VmActor.Subscribe(events.ref()));
    ask(source, VmActor.Start::new, VmActor.Status.class);
    awaitLine(events, 1, new ArrayList<>());
    VmActor.RecordingStarted rec =
        ask(
            source,
            r -> new VmActor.BeginRecording(8, Duration.ofMillis(2), r),
            VmActor.RecordingStarted.class);
    rec.checkpoint().close();
    rec.trace().source().runWith(org.apache.pekko.stream.javadsl.Sink.ignore(), testKit.system());

    long[] covered = new long[3];
    for (int i = 0; i < covered.length; i++) {
      long before = i == 0 ? rec.instructions() : covered[i - 1];
      covered[i] =
          testKit
              .createTestProbe()
              .awaitAssert(
                  PATIENCE,
                  Duration.ofMillis(5),
                  () -> {
                    long now = rec.trace().coveredIcount();
                    assertTrue(now > before, "coverage still at " + now);
                    return now;
                  });
    }
    ask(source, VmActor.Stop::new, VmActor.Status.class);
  }

  @Test
  void aRecordingsSliceBoundUnderAMillisecondIsRefusedNamingIt() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> new VmActor.BeginRecording(8, Duration.ofNanos(500), null));
    assertTrue(e.getMessage().contains("PT0.0000005S"), e.getMessage());
  }

  @Test
  void aSourceThatStopsRecordingRunsOnLiveAndPrintsTheNextLines() {
    ActorRef<VmActor.Command> source = testKit.spawn(VmActor.create(idleGuest()));
    TestProbe<VmActor.VmEvent> events = testKit.createTestProbe();
    source.tell(new VmActor.Subscribe(events.ref()));
    ask(source, VmActor.Start::new, VmActor.Status.class);
    List<Long> lines = new ArrayList<>();
    awaitLine(events, 2, lines);
    VmActor.RecordingStarted rec =
        ask(source, r -> new VmActor.BeginRecording(8, r), VmActor.RecordingStarted.class);
    rec.checkpoint().close();
    rec.trace().source().runWith(org.apache.pekko.stream.javadsl.Sink.ignore(), testKit.system());
    ask(source, VmActor.Freeze::new, VmActor.Frozen.class);
    assertEquals(
        VmState.RUNNING, ask(source, VmActor.StopRecording::new, VmActor.Status.class).state());
    long last = lines.get(lines.size() - 1);
    awaitLine(events, last + 3, lines);
    for (int i = 1; i < lines.size(); i++) {
      assertEquals(lines.get(i - 1) + 1, lines.get(i), "lines " + lines);
    }
    ask(source, VmActor.Stop::new, VmActor.Status.class);
  }
}
