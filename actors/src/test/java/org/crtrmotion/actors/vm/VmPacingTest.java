package org.crtrmotion.actors.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.crtrmotion.vm.machine.BootPlan;
import org.crtrmotion.vm.machine.MachineConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Throttle and quota on a running guest, paced by a fake clock: the waits are computed, exact. */
class VmPacingTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final long TICK = 1_000; // ns per clock read
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static int vms;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static VmSpec memoryGuest() {
    return new VmSpec(
        "paced-" + ++vms,
        MachineConfig.defaults()
            .withRamBytes(16L << 20)
            .withBootargs("wss=256K rate=16 ticks=0 report=1000"),
        new BootPlan.BareMetal(GuestImages.load("memory.elf")));
  }

  private static ActorRef<VmActor.Command> started(VmSpec spec, FakeGuestTime time) {
    ActorRef<VmActor.Command> vm = testKit.spawn(VmActor.create(spec, System::nanoTime, time));
    ask(vm, VmActor.Start::new, VmActor.Status.class);
    return vm;
  }

  private static <R extends VmActor.Reply> R ask(
      ActorRef<VmActor.Command> vm,
      Function<ActorRef<VmActor.Reply>, VmActor.Command> command,
      Class<R> type) {
    TestProbe<VmActor.Reply> replies = testKit.createTestProbe();
    vm.tell(command.apply(replies.ref()));
    return replies.expectMessageClass(type, PATIENCE);
  }

  private static List<Long> waitsOnceAtLeast(FakeGuestTime time, int count) {
    TestProbe<Void> probe = testKit.createTestProbe();
    return probe.awaitAssert(
        PATIENCE,
        Duration.ofMillis(20),
        () -> {
          List<Long> waits = time.waits();
          assertTrue(waits.size() >= count, waits.size() + " waits so far");
          return waits;
        });
  }

  @Test
  void aThrottleOfEightyPercentMakesTheGuestWaitFourTimesEachSlicesRunTime() {
    FakeGuestTime time = new FakeGuestTime(TICK);
    ActorRef<VmActor.Command> vm = started(memoryGuest(), time);
    VmActor.Status s = ask(vm, r -> new VmActor.SetThrottle(80, r), VmActor.Status.class);
    assertEquals(80, s.throttlePercent());

    // Each slice runs one tick (start and end read); its wait, 4 ticks from its end, is asked
    // one tick after its end.
    List<Long> waits = waitsOnceAtLeast(time, 20);
    assertTrue(waits.stream().allMatch(w -> w == 3 * TICK), waits.toString());
    ask(vm, VmActor.Stop::new, VmActor.Status.class);
  }

  @Test
  void theThrottleInForceIsReportedAndZeroLiftsIt() {
    FakeGuestTime time = new FakeGuestTime(TICK);
    ActorRef<VmActor.Command> vm = started(memoryGuest(), time);
    ask(vm, r -> new VmActor.SetThrottle(30, r), VmActor.Status.class);
    assertEquals(30, ask(vm, VmActor.GetStatus::new, VmActor.Status.class).throttlePercent());
    ask(vm, r -> new VmActor.SetThrottle(0, r), VmActor.Status.class);
    assertEquals(0, ask(vm, VmActor.GetStatus::new, VmActor.Status.class).throttlePercent());
    ask(vm, VmActor.Stop::new, VmActor.Status.class);
  }

  @Test
  void aThrottleOfAHundredPercentIsRefusedWithTheReason() {
    ActorRef<VmActor.Command> vm = started(memoryGuest(), new FakeGuestTime(TICK));
    VmActor.Refused r = ask(vm, p -> new VmActor.SetThrottle(100, p), VmActor.Refused.class);
    assertTrue(r.reason().contains("between 0 and 99"), r.reason());
    ask(vm, VmActor.Stop::new, VmActor.Status.class);
  }

  @Test
  void aQuotaMakesEachSliceWaitUntilItsInstructionsArePaidAndCapsTheReportedRate() {
    long quota = 1_000_000;
    FakeGuestTime time = new FakeGuestTime(TICK);
    ActorRef<VmActor.Command> vm = started(memoryGuest().withQuota(quota), time);

    // Slices of 10,000 instructions cost 10 ms at the quota, paid from their start; the wait is
    // asked two ticks after it.
    List<Long> waits = waitsOnceAtLeast(time, 200);
    assertTrue(waits.stream().allMatch(w -> w == 10_000_000 - 2 * TICK), waits.toString());
    long rate = ask(vm, VmActor.GetStatus::new, VmActor.Status.class).instructionsPerSecond();
    assertTrue(rate > quota * 99 / 100 && rate <= quota, "rate " + rate);
    ask(vm, VmActor.Stop::new, VmActor.Status.class);
  }
}
