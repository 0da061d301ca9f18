package org.crtrmotion.actors.precopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.crtrmotion.actors.migration.AutoConverge;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.NonConvergencePolicy;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.actors.precopy.PrecopyPlanner.Abort;
import org.crtrmotion.actors.precopy.PrecopyPlanner.Decision;
import org.crtrmotion.actors.precopy.PrecopyPlanner.Freeze;
import org.crtrmotion.actors.precopy.PrecopyPlanner.Measure;
import org.crtrmotion.actors.precopy.PrecopyPlanner.NextRound;
import org.crtrmotion.actors.precopy.PrecopyPlanner.SwitchStrategy;
import org.crtrmotion.actors.precopy.PrecopyPlanner.Throttle;
import org.junit.jupiter.api.Test;

class PrecopyPlannerTest {
  private static final long HANDOVER = 5;
  private static final long MB = 1_000_000;
  private static final MigrationParameters QEMU = MigrationParameters.defaults(Strategy.PRECOPY);

  private static PrecopyPlanner planner(MigrationParameters p) {
    return new PrecopyPlanner(p, HANDOVER);
  }

  private static Measure round(int n, long remaining, long link, int throttle) {
    return new Measure(n, remaining, link, n * 100L, throttle);
  }

  @Test
  void freezesWhenRemainingOverTheLinkRatePlusHandoverFitsTheDowntimeLimit() {
    // 10 MiB at 128 MiB/s: 78.125 ms, rounded up to 79, + 5 ms handover.
    assertEquals(new Freeze(84), planner(QEMU).decide(round(1, 10L << 20, 128L << 20, 0)));
  }

  @Test
  void anEstimateExactlyAtTheLimitFreezesAndOneByteMoreDoesNot() {
    assertEquals(new Freeze(300), planner(QEMU).decide(round(1, 295 * 1000, MB, 0)));
    assertEquals(new NextRound(301), planner(QEMU).decide(round(1, 295 * 1000 + 1, MB, 0)));
  }

  @Test
  void keepsGoingRoundAfterRoundWhileTheDirtyPagesLeftShrink() {
    PrecopyPlanner p = planner(QEMU);
    long[] remaining = {90 * MB, 60 * MB, 40 * MB, 30 * MB, 20 * MB};
    for (int i = 0; i < remaining.length; i++) {
      assertInstanceOf(NextRound.class, p.decide(round(i + 1, remaining[i], MB, 0)));
    }
  }

  @Test
  void aBacklogThatDoesNotShrinkOverTheWindowThrottlesAtTwentyThenInStepsOfTen() {
    PrecopyPlanner p = planner(QEMU);
    assertInstanceOf(NextRound.class, p.decide(round(1, 50 * MB, MB, 0)));
    assertInstanceOf(NextRound.class, p.decide(round(2, 40 * MB, MB, 0)));
    Decision third = p.decide(round(3, 50 * MB, MB, 0));
    assertEquals(20, assertInstanceOf(Throttle.class, third).percent());
    assertEquals(50_005, third.expectedDowntimeMillis());
    // The throttle gets a window of its own before the next step.
    assertInstanceOf(NextRound.class, p.decide(round(4, 50 * MB, MB, 20)));
    assertInstanceOf(NextRound.class, p.decide(round(5, 50 * MB, MB, 20)));
    assertEquals(
        30, assertInstanceOf(Throttle.class, p.decide(round(6, 50 * MB, MB, 20))).percent());
  }

  @Test
  void theLastThrottleStepIsCappedAtTheMaximum() {
    PrecopyPlanner p = planner(QEMU);
    p.decide(round(1, 50 * MB, MB, 95));
    p.decide(round(2, 50 * MB, MB, 95));
    assertEquals(
        99, assertInstanceOf(Throttle.class, p.decide(round(3, 50 * MB, MB, 95))).percent());
  }

  @Test
  void aStallAtTheMaximumThrottleAbortsSayingAutoConvergeIsExhausted() {
    PrecopyPlanner p = planner(QEMU);
    p.decide(round(1, 50 * MB, MB, 99));
    p.decide(round(2, 50 * MB, MB, 99));
    Abort abort = assertInstanceOf(Abort.class, p.decide(round(3, 50 * MB, MB, 99)));
    assertTrue(abort.reason().contains("not converging"), abort.reason());
    assertTrue(abort.reason().contains("auto-converge exhausted at 99 %"), abort.reason());
  }

  @Test
  void withAutoConvergeOffAStallAbortsSayingSo() {
    PrecopyPlanner p = planner(QEMU.withAutoConverge(AutoConverge.OFF));
    p.decide(round(1, 50 * MB, MB, 0));
    p.decide(round(2, 50 * MB, MB, 0));
    Abort abort = assertInstanceOf(Abort.class, p.decide(round(3, 50 * MB, MB, 0)));
    assertTrue(abort.reason().contains("auto-converge is off"), abort.reason());
  }

  @Test
  void theAbortPolicyAbortsAtTheFirstStall() {
    PrecopyPlanner p = planner(QEMU.withNonConvergencePolicy(NonConvergencePolicy.ABORT));
    p.decide(round(1, 50 * MB, MB, 0));
    p.decide(round(2, 50 * MB, MB, 0));
    Abort abort = assertInstanceOf(Abort.class, p.decide(round(3, 51 * MB, MB, 0)));
    assertTrue(abort.reason().startsWith("not converging"), abort.reason());
  }

  @Test
  void theSwitchPolicyAsksForTheOtherStrategyAtTheFirstStall() {
    PrecopyPlanner p = planner(QEMU.withNonConvergencePolicy(NonConvergencePolicy.SWITCH_STRATEGY));
    p.decide(round(1, 50 * MB, MB, 0));
    p.decide(round(2, 50 * MB, MB, 0));
    assertInstanceOf(SwitchStrategy.class, p.decide(round(3, 50 * MB, MB, 0)));
  }

  @Test
  void reachingMaxRoundsActsAsNonConvergenceEvenWhileShrinking() {
    PrecopyPlanner p =
        planner(QEMU.withMaxRounds(2).withNonConvergencePolicy(NonConvergencePolicy.ABORT));
    assertInstanceOf(NextRound.class, p.decide(round(1, 50 * MB, MB, 0)));
    Abort abort = assertInstanceOf(Abort.class, p.decide(round(2, 40 * MB, MB, 0)));
    assertTrue(abort.reason().startsWith("max-rounds 2 reached"), abort.reason());
  }

  @Test
  void pastTheDeadlineItAbortsNamingTheDeadlineAndTheEstimate() {
    PrecopyPlanner p = planner(QEMU.withDeadline(Duration.ofSeconds(2)));
    Abort abort = assertInstanceOf(Abort.class, p.decide(new Measure(4, 50 * MB, MB, 2000, 0)));
    assertTrue(abort.reason().startsWith("deadline of 2000 ms passed at round 4"), abort.reason());
    assertTrue(abort.reason().contains("50005 ms > downtime-limit 300 ms"), abort.reason());
  }

  @Test
  void pastTheDeadlineAFittingEstimateStillFreezes() {
    PrecopyPlanner p = planner(QEMU.withDeadline(Duration.ofSeconds(2)));
    assertInstanceOf(Freeze.class, p.decide(new Measure(4, 1000, MB, 5000, 0)));
  }

  @Test
  void withoutALinkRateYetTheEstimateIsUnboundedAndAnotherRoundFollows() {
    NextRound next = assertInstanceOf(NextRound.class, planner(QEMU).decide(round(1, 4096, 0, 0)));
    assertEquals(Long.MAX_VALUE, next.expectedDowntimeMillis());
  }

  @Test
  void nothingLeftFreezesWithTheHandoverAlone() {
    assertEquals(new Freeze(HANDOVER), planner(QEMU).decide(round(1, 0, 0, 0)));
  }
}
