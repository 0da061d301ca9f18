package org.crtrmotion.actors.precopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.crtrmotion.actors.vm.GuestImages;
import org.crtrmotion.actors.vm.VmActor;
import org.crtrmotion.actors.vm.VmSpec;
import org.crtrmotion.actors.vm.VmState;
import org.crtrmotion.streams.PageBatches;
import org.crtrmotion.vm.checkpoint.Checkpoint;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.memory.MemorySnapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Pre-copy's VM-level operations on two VM actors in one system, pages carried by PageBatches. */
class PrecopyVmLevelTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static int vms;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static VmSpec memoryGuest() {
    return new VmSpec(
        "pre-" + ++vms,
        MachineConfig.defaults()
            .withRamBytes(16L << 20)
            .withBootargs("wss=1M rate=16 ticks=0 report=1"),
        new BootPlan.BareMetal(GuestImages.load("memory.elf")));
  }

  private static <R extends VmActor.Reply> R ask(
      ActorRef<VmActor.Command> vm,
      Function<ActorRef<VmActor.Reply>, VmActor.Command> command,
      Class<R> type) {
    TestProbe<VmActor.Reply> replies = testKit.createTestProbe();
    vm.tell(command.apply(replies.ref()));
    return replies.expectMessageClass(type, PATIENCE);
  }

  private static PageBatches.Applied send(MemorySnapshot pages, GuestMemory target)
      throws Exception {
    return PageBatches.frames("t/pages", pages, 16)
        .runWith(PageBatches.applyTo("t/pages", target), testKit.system())
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  private static long awaitLine(TestProbe<VmActor.VmEvent> events, long atLeast, List<Long> seen) {
    while (true) {
      VmActor.ConsoleLine l = events.expectMessageClass(VmActor.ConsoleLine.class, PATIENCE);
      seen.add(l.number());
      if (l.number() >= atLeast) {
        return l.number();
      }
    }
  }

  @Test
  void roundsWhileRunningThenAFreezeBuildATargetWithTheSourceDigestThatGoesOnWithTheNextLine()
      throws Exception {
    VmSpec spec = memoryGuest();
    ActorRef<VmActor.Command> source = testKit.spawn(VmActor.create(spec));
    TestProbe<VmActor.VmEvent> sourceEvents = testKit.createTestProbe();
    source.tell(new VmActor.Subscribe(sourceEvents.ref()));
    ask(source, VmActor.Start::new, VmActor.Status.class);
    List<Long> sourceLines = new ArrayList<>();
    awaitLine(sourceEvents, 2, sourceLines);

    // Round 0: every page and the state it starts from.
    Checkpoint round0 =
        ask(source, r -> new VmActor.TakePageRound(0, r), VmActor.PageRound.class).round();
    PrecopyTarget copy = new PrecopyTarget(round0.state(), spec.plan());
    TestProbe<VmActor.ReplicaEvent> replica = testKit.createTestProbe();
    ActorRef<VmActor.Command> target =
        testKit.spawn(VmActor.createReplica(spec, copy.replica(replica.ref())));
    TestProbe<VmActor.VmEvent> targetEvents = testKit.createTestProbe();
    target.tell(new VmActor.Subscribe(targetEvents.ref()));
    TestProbe<VmActor.Reply> started = testKit.createTestProbe();
    target.tell(new VmActor.Start(started.ref()));
    GuestMemory memory = copy.memory().toCompletableFuture().get(30, TimeUnit.SECONDS);
    PageBatches.Applied all = send(round0.memory(), memory);
    int generation = round0.generation();

    for (int round = 1; round <= 3; round++) {
      awaitLine(sourceEvents, sourceLines.get(sourceLines.size() - 1) + 1, sourceLines);
      int dirty =
          ask(
                  source,
                  r -> new VmActor.CountDirtyPages(round0.generation(), r),
                  VmActor.DirtyPages.class)
              .pages();
      assertTrue(dirty > 0, "the running guest wrote pages since round 0");
      int since = generation;
      Checkpoint next =
          ask(source, r -> new VmActor.TakePageRound(since, r), VmActor.PageRound.class).round();
      generation = next.generation();
      PageBatches.Applied applied = send(next.memory(), memory);
      assertTrue(applied.pages() + applied.zeroPages() < all.pages() + all.zeroPages());
    }
    int last = generation;
    VmActor.FrozenForCopy frozen =
        ask(
            source,
            r -> new VmActor.FreezeForCopy(last, round0.generation(), r),
            VmActor.FrozenForCopy.class);
    send(frozen.last().memory(), memory);
    copy.finish(frozen.last().state(), frozen.instructions());
    VmActor.Digest sourceDigest = ask(source, VmActor.GetDigest::new, VmActor.Digest.class);

    assertEquals(
        VmState.REPLAYING, started.expectMessageClass(VmActor.Status.class, PATIENCE).state());
    VmActor.CaughtUp caughtUp = replica.expectMessageClass(VmActor.CaughtUp.class, PATIENCE);
    assertEquals(frozen.instructions(), sourceDigest.instructions());
    assertEquals(sourceDigest.instructions(), caughtUp.instructions());
    assertEquals(sourceDigest.digest(), caughtUp.digest());

    ask(
        target,
        r -> new VmActor.GoLive(frozen.lines() + 1, frozen.pendingLine(), r),
        VmActor.Status.class);
    ask(source, VmActor.StopMigrated::new, VmActor.Status.class);
    assertEquals(frozen.lines(), sourceLines.get(sourceLines.size() - 1) + drained(sourceEvents));
    assertEquals(
        frozen.lines() + 1,
        targetEvents.expectMessageClass(VmActor.ConsoleLine.class, PATIENCE).number());
    ask(target, VmActor.Stop::new, VmActor.Status.class);
  }

  /** How many lines the source still had queued before its stop reply. */
  private static int drained(TestProbe<VmActor.VmEvent> events) {
    int n = 0;
    while (true) {
      try {
        if (events.receiveMessage(Duration.ofMillis(100)) instanceof VmActor.ConsoleLine) {
          n++;
        }
      } catch (AssertionError nothingLeft) {
        return n;
      }
    }
  }

  @Test
  void aFrozenSourceThatIsResumedRunsOnAndPrintsTheNextLine() {
    ActorRef<VmActor.Command> source = testKit.spawn(VmActor.create(memoryGuest()));
    TestProbe<VmActor.VmEvent> events = testKit.createTestProbe();
    source.tell(new VmActor.Subscribe(events.ref()));
    ask(source, VmActor.Start::new, VmActor.Status.class);
    List<Long> lines = new ArrayList<>();
    awaitLine(events, 1, lines);
    Checkpoint round0 =
        ask(source, r -> new VmActor.TakePageRound(0, r), VmActor.PageRound.class).round();
    round0.close();
    VmActor.FrozenForCopy frozen =
        ask(
            source,
            r -> new VmActor.FreezeForCopy(round0.generation(), round0.generation(), r),
            VmActor.FrozenForCopy.class);
    frozen.last().close();
    assertEquals(VmState.PAUSED, ask(source, VmActor.GetStatus::new, VmActor.Status.class).state());
    assertEquals(VmState.RUNNING, ask(source, VmActor.Resume::new, VmActor.Status.class).state());
    awaitLine(events, frozen.lines() + 1, lines);
    ask(source, VmActor.Stop::new, VmActor.Status.class);
  }
}
