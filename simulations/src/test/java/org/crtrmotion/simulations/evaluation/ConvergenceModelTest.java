package org.crtrmotion.simulations.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** PAPER.md's model with explicit numbers. */
class ConvergenceModelTest {
  private static final double MB = 1_000_000;

  @Test
  void aTraceThatFitsAtOnceFreezesAfterTheCheckpoint() {
    // C = 10 MB at 10 MB/s: T0 = 1 s; g = 10 kB/s gives L1 = 10 kB; p = 4.
    // Downtime = 10 kB / 10 MB/s + 10 kB / (10 kB/s · 4) + 10 ms = 1 + 250 + 10 ms.
    var p =
        ConvergenceModel.predict(
            new ConvergenceModel.Inputs(10_000_000, 10 * MB, 10_000, 4, 0, 0, 300, 10, 30));
    assertEquals(1, p.rounds());
    assertTrue(p.converges());
    assertEquals(261, p.downtimeMillis(), 1e-9);
    assertEquals(1000 + 261, p.totalTimeMillis(), 1e-9);
    assertEquals(10_010_000, p.bytes(), 1e-6);
  }

  @Test
  void eachRoundShrinksTheBacklogByRho() {
    // ρ = max(g/B, 1/p) = max(0.001, 0.5) = 0.5: replay-bound. L1 = 10 kB costs 510 ms > 300;
    // round 1 replays it in 0.5 s, meanwhile L2 = 5 kB costs 260 ms: freeze at round 2.
    var in = new ConvergenceModel.Inputs(10_000_000, 10 * MB, 10_000, 2, 0, 0, 300, 10, 30);
    assertEquals(0.5, in.shrinkFactor(), 1e-12);
    var p = ConvergenceModel.predict(in);
    assertEquals(2, p.rounds());
    assertEquals(0.5 + 250 + 10, p.downtimeMillis(), 1e-9);
    assertEquals(1000 + 500 + p.downtimeMillis(), p.totalTimeMillis(), 1e-9);
    assertEquals(10_000_000 + 10_000 + 5_000, p.bytes(), 1e-6);
  }

  @Test
  void aBusyGuestReplayedNoFasterThanItRanNeverConvergesAndIsForcedAtMaxRounds() {
    // p = 1: every round leaves as much trace as it carried.
    var p =
        ConvergenceModel.predict(
            new ConvergenceModel.Inputs(10_000_000, 10 * MB, 10_000, 1, 0, 0, 300, 10, 5));
    assertFalse(p.converges());
    assertEquals(5, p.rounds());
    assertEquals(1 + 1000 + 10, p.downtimeMillis(), 1e-9);
  }

  @Test
  void precopyWithoutReplayFreezesWhenTheDirtyPagesFitTheLink() {
    // p infinite: ρ = g/B = 0.5. C = 10 MB, T0 = 1 s, L1 = 5 MB → 510 ms; L2 = 2.5 MB → 260 ms.
    var p =
        ConvergenceModel.predict(
            new ConvergenceModel.Inputs(
                10_000_000, 10 * MB, 5 * MB, Double.POSITIVE_INFINITY, 0, 0, 300, 10, 30));
    assertEquals(2, p.rounds());
    assertEquals(260, p.downtimeMillis(), 1e-9);
    assertEquals(17_500_000, p.bytes(), 1e-6);
  }

  @Test
  void precopysBacklogIsBoundedByTheWorkingSet() {
    // g > B would diverge, but the guest dirties only 1 MB: 100 + 10 ms fits at once.
    var p =
        ConvergenceModel.predict(
            new ConvergenceModel.Inputs(
                10_000_000, 10 * MB, 50 * MB, Double.POSITIVE_INFINITY, 1_000_000, 0, 300, 10, 30));
    assertEquals(1, p.rounds());
    assertEquals(110, p.downtimeMillis(), 1e-9);
  }

  @Test
  void aGuestThatProducesNothingCostsOnlyTheHandover() {
    var p =
        ConvergenceModel.predict(
            new ConvergenceModel.Inputs(1_000_000, MB, 0, 3, 0, 0, 300, 10, 30));
    assertEquals(10, p.downtimeMillis(), 1e-9);
    assertEquals(1_000_000, p.bytes(), 1e-6);
  }

  @Test
  void aRuntimeThatDecidesAtTicksLengthensTheRoundsButNotTheBacklog() {
    // As the first test (T0 = 1 s, L1 = 10 kB, 261 ms), but rounds last at least 2 s.
    var once =
        ConvergenceModel.predict(
            new ConvergenceModel.Inputs(10_000_000, 10 * MB, 10_000, 4, 0, 2.0, 300, 10, 30));
    assertEquals(1, once.rounds());
    assertEquals(261, once.downtimeMillis(), 1e-9);
    assertEquals(2000 + 261, once.totalTimeMillis(), 1e-9);
    // As the second (replay-bound, a second round of 0.5 s): each round now takes 2 s.
    var twice =
        ConvergenceModel.predict(
            new ConvergenceModel.Inputs(10_000_000, 10 * MB, 10_000, 2, 0, 2.0, 300, 10, 30));
    assertEquals(2, twice.rounds());
    assertEquals(0.5 + 250 + 10, twice.downtimeMillis(), 1e-9);
    assertEquals(4000 + twice.downtimeMillis(), twice.totalTimeMillis(), 1e-9);
  }

  @Test
  void aMissingLinkRateIsRefusedNamingIt() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ConvergenceModel.Inputs(1, 0, 0, 1, 0, 0, 300, 10, 30));
    assertTrue(e.getMessage().contains("link rate"), e.getMessage());
  }
}
