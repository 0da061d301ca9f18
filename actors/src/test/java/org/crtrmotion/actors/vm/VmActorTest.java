package org.crtrmotion.actors.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.StopReason;
import org.crtrmotion.vm.time.TimeMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class VmActorTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static int vms;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static VmSpec spec(String image, String bootargs, long ramBytes) {
    return new VmSpec(
        "vm-" + ++vms,
        MachineConfig.defaults().withRamBytes(ramBytes).withBootargs(bootargs),
        new BootPlan.BareMetal(GuestImages.load(image)));
  }

  /** memory.elf forever, a console line per tick. */
  private static VmSpec endlessMemoryGuest() {
    return spec("memory.elf", "wss=256K rate=16 ticks=0 report=1", 16L << 20);
  }

  private record Vm(String id, ActorRef<VmActor.Command> ref, TestProbe<VmActor.VmEvent> events) {}

  private static Vm started(VmSpec spec) {
    ActorRef<VmActor.Command> ref = testKit.spawn(VmActor.create(spec));
    TestProbe<VmActor.VmEvent> events = testKit.createTestProbe();
    ref.tell(new VmActor.Subscribe(events.ref()));
    VmActor.Status s = ask(ref, VmActor.Start::new, VmActor.Status.class);
    assertEquals(VmState.RUNNING, s.state());
    return new Vm(spec.vmId(), ref, events);
  }

  private static <R extends VmActor.Reply> R ask(
      ActorRef<VmActor.Command> vm,
      java.util.function.Function<ActorRef<VmActor.Reply>, VmActor.Command> command,
      Class<R> type) {
    TestProbe<VmActor.Reply> replies = testKit.createTestProbe();
    vm.tell(command.apply(replies.ref()));
    return replies.expectMessageClass(type, PATIENCE);
  }

  private static VmActor.ConsoleLine nextLine(TestProbe<VmActor.VmEvent> events) {
    return events.expectMessageClass(VmActor.ConsoleLine.class, PATIENCE);
  }

  @Test
  void helloGuestPrintsItsGreetingAsLineOne() {
    Vm vm = started(spec("hello.elf", null, 16L << 20));
    assertEquals(
        new VmActor.ConsoleLine(vm.id(), 1, "Hello from crtr-motion guest"), nextLine(vm.events()));
  }

  @Test
  void guestThatPowersOffIsReportedWithItsExitCode() {
    Vm vm = started(spec("hello.elf", "exit=7", 16L << 20));
    nextLine(vm.events());
    VmActor.Ended ended = vm.events().expectMessageClass(VmActor.Ended.class, PATIENCE);
    assertEquals(StopReason.POWER_OFF, ended.reason());
    assertEquals(7, ended.exitCode());
    VmActor.Status s = ask(vm.ref(), VmActor.GetStatus::new, VmActor.Status.class);
    assertEquals(VmState.ENDED, s.state());
    assertEquals(ended.instructions(), s.instructions());
  }

  @Test
  void consoleLinesAreNumberedWithoutGap() {
    Vm vm = started(endlessMemoryGuest());
    for (int n = 1; n <= 5; n++) {
      assertEquals(n, nextLine(vm.events()).number());
    }
  }

  @Test
  void pausedGuestRetiresNoInstruction() {
    Vm vm = started(endlessMemoryGuest());
    nextLine(vm.events());
    VmActor.Status paused = ask(vm.ref(), VmActor.Pause::new, VmActor.Status.class);
    assertEquals(VmState.PAUSED, paused.state());
    VmActor.Status first = ask(vm.ref(), VmActor.GetStatus::new, VmActor.Status.class);
    VmActor.Status second = ask(vm.ref(), VmActor.GetStatus::new, VmActor.Status.class);
    assertEquals(VmState.PAUSED, first.state());
    assertEquals(paused.instructions(), first.instructions());
    assertEquals(paused.instructions(), second.instructions());
  }

  @Test
  void pauseIsAnsweredWithinAHugeSliceOfAGuestAsleepInWfi() {
    // A slice of 2^40 instructions and a timer tick 100 s away in host time: the guest thread
    // would look at its orders only after the tick, unless the order cuts the slice short.
    VmSpec spec =
        new VmSpec(
            "vm-" + ++vms,
            MachineConfig.defaults()
                .withRamBytes(16L << 20)
                .withTimeMode(TimeMode.HOST)
                .withBootargs("period_ms=100000 ticks=0"),
            new BootPlan.BareMetal(GuestImages.load("idle.elf")),
            1L << 40);
    Vm vm = started(spec);
    VmActor.Status paused = ask(vm.ref(), VmActor.Pause::new, VmActor.Status.class);
    assertEquals(VmState.PAUSED, paused.state());
  }

  @Test
  void resumedGuestRunsOnFromWhereItPaused() {
    Vm vm = started(endlessMemoryGuest());
    nextLine(vm.events());
    long pausedAt = ask(vm.ref(), VmActor.Pause::new, VmActor.Status.class).instructions();
    // Subscribed while paused: its first line can only come from instructions run after resume.
    TestProbe<VmActor.VmEvent> after = testKit.createTestProbe();
    vm.ref().tell(new VmActor.Subscribe(after.ref()));
    VmActor.Status resumed = ask(vm.ref(), VmActor.Resume::new, VmActor.Status.class);
    assertEquals(VmState.RUNNING, resumed.state());
    assertEquals(pausedAt, resumed.instructions());
    nextLine(after);
    VmActor.Status later = ask(vm.ref(), VmActor.GetStatus::new, VmActor.Status.class);
    assertTrue(later.instructions() > pausedAt, later + " vs paused at " + pausedAt);
  }

  @Test
  void checkpointOfAPausedGuestIsAtThePausedInstruction() throws Exception {
    Vm vm = started(endlessMemoryGuest());
    nextLine(vm.events());
    long pausedAt = ask(vm.ref(), VmActor.Pause::new, VmActor.Status.class).instructions();
    VmActor.CheckpointTaken taken =
        ask(vm.ref(), VmActor.TakeCheckpoint::new, VmActor.CheckpointTaken.class);
    try {
      assertEquals(pausedAt, taken.instructions());
      assertTrue(taken.pauseNanos() >= 0);
      Machine restored = Machine.restore(taken.checkpoint(), null, b -> {});
      assertEquals(pausedAt, restored.instructionsRetired());
    } finally {
      taken.checkpoint().close();
    }
  }

  @Test
  void checkpointOfAPausedGuestRestoresToItsDigest() throws Exception {
    Vm vm = started(endlessMemoryGuest());
    nextLine(vm.events());
    ask(vm.ref(), VmActor.Pause::new, VmActor.Status.class);
    VmActor.Digest source = ask(vm.ref(), VmActor.GetDigest::new, VmActor.Digest.class);
    VmActor.CheckpointTaken taken =
        ask(vm.ref(), VmActor.TakeCheckpoint::new, VmActor.CheckpointTaken.class);
    try {
      Machine restored = Machine.restore(taken.checkpoint(), null, b -> {});
      assertEquals(source.instructions(), restored.instructionsRetired());
      assertEquals(source.digest(), restored.digest());
    } finally {
      taken.checkpoint().close();
    }
  }

  @Test
  void checkpointWhileRunningLeavesTheGuestRunning() {
    Vm vm = started(endlessMemoryGuest());
    nextLine(vm.events());
    VmActor.CheckpointTaken taken =
        ask(vm.ref(), VmActor.TakeCheckpoint::new, VmActor.CheckpointTaken.class);
    taken.checkpoint().close();
    // Subscribed after the reply: its lines were printed after the checkpoint.
    TestProbe<VmActor.VmEvent> after = testKit.createTestProbe();
    vm.ref().tell(new VmActor.Subscribe(after.ref()));
    nextLine(after);
    VmActor.Status s = ask(vm.ref(), VmActor.GetStatus::new, VmActor.Status.class);
    assertEquals(VmState.RUNNING, s.state());
    assertTrue(s.instructions() > taken.instructions());
  }

  @Test
  void stopEndsTheGuestThreadBeforeReplying() {
    Vm vm = started(endlessMemoryGuest());
    nextLine(vm.events());
    assertTrue(guestThreadAlive(vm.id()));
    VmActor.Status stopped = ask(vm.ref(), VmActor.Stop::new, VmActor.Status.class);
    assertEquals(VmState.STOPPED, stopped.state());
    assertFalse(guestThreadAlive(vm.id()));
    TestProbe<Object> watcher = testKit.createTestProbe();
    watcher.expectTerminated(vm.ref(), PATIENCE);
  }

  @Test
  void stopOfAPausedGuestEndsItsThread() {
    Vm vm = started(endlessMemoryGuest());
    ask(vm.ref(), VmActor.Pause::new, VmActor.Status.class);
    ask(vm.ref(), VmActor.Stop::new, VmActor.Status.class);
    assertFalse(guestThreadAlive(vm.id()));
  }

  @Test
  void commandGivenWhileBootingIsAnsweredEvenWhenAStopFollows() {
    ActorRef<VmActor.Command> vm = testKit.spawn(VmActor.create(endlessMemoryGuest()));
    TestProbe<VmActor.Reply> replies = testKit.createTestProbe();
    // The pause waits for the boot (or reaches the booted guest); either way the stop behind it
    // must not leave it unanswered.
    vm.tell(new VmActor.Start(replies.ref()));
    vm.tell(new VmActor.Pause(replies.ref()));
    vm.tell(new VmActor.Stop(replies.ref()));
    List<VmActor.Reply> answers = replies.receiveSeveralMessages(3, PATIENCE);
    VmActor.Status stopped =
        answers.stream()
            .filter(VmActor.Status.class::isInstance)
            .map(VmActor.Status.class::cast)
            .filter(s -> s.state() == VmState.STOPPED)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no STOPPED among " + answers));
    assertFalse(guestThreadAlive(stopped.vmId()));
  }

  @Test
  void pauseBeforeStartIsRefused() {
    ActorRef<VmActor.Command> vm = testKit.spawn(VmActor.create(endlessMemoryGuest()));
    VmActor.Refused r = ask(vm, VmActor.Pause::new, VmActor.Refused.class);
    assertTrue(r.reason().contains("start it first"), r.reason());
  }

  @Test
  void imageThatDoesNotFitIsRefusedAtStartWithTheBootError() {
    // A 1 MiB machine has its device tree where memory.elf's code must go.
    ActorRef<VmActor.Command> vm =
        testKit.spawn(VmActor.create(spec("memory.elf", null, 1L << 20)));
    VmActor.Refused r = ask(vm, VmActor.Start::new, VmActor.Refused.class);
    assertTrue(r.reason().contains("give the machine more memory"), r.reason());
    assertEquals(VmState.FAILED, ask(vm, VmActor.GetStatus::new, VmActor.Status.class).state());
  }

  @Test
  void pauseOfAnEndedGuestIsRefusedWithHowItEnded() {
    Vm vm = started(spec("hello.elf", null, 16L << 20));
    vm.events().expectMessageClass(VmActor.ConsoleLine.class, PATIENCE);
    vm.events().expectMessageClass(VmActor.Ended.class, PATIENCE);
    VmActor.Refused r = ask(vm.ref(), VmActor.Pause::new, VmActor.Refused.class);
    assertTrue(r.reason().contains("powered off"), r.reason());
  }

  private static boolean guestThreadAlive(String vmId) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(VmActor.threadName(vmId)) && t.isAlive());
  }
}
