package org.crtrmotion.actors.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DowntimeModelTest {

  @Test
  void crtrAddsTheBacklogOnTheLinkTheReplayLagAndTheHandover() {
    // 1 MiB at 4 MiB/s = 250 ms; 50M instructions behind at 100 MIPS = 500 ms; handover 5 ms.
    assertEquals(755, DowntimeModel.crtrMillis(1 << 20, 4 << 20, 50_000_000, 100_000_000, 5));
  }

  @Test
  void crtrWithNothingLeftCostsOnlyTheHandover() {
    assertEquals(5, DowntimeModel.crtrMillis(0, 0, 0, 0, 5));
  }

  @Test
  void anUnmeasuredRateMakesThePredictionUnbounded() {
    assertEquals(Long.MAX_VALUE, DowntimeModel.crtrMillis(1, 0, 0, 100, 0));
    assertEquals(Long.MAX_VALUE, DowntimeModel.crtrMillis(0, 100, 1, 0, 0));
    assertEquals(Long.MAX_VALUE, DowntimeModel.precopyMillis(4096, 0, 0));
  }

  @Test
  void precopyIsTheRemainingBytesOverTheLinkRoundedUp() {
    // 10 pages at 128 MiB/s = 0.305 ms -> 1 ms, + 2 ms handover.
    assertEquals(3, DowntimeModel.precopyMillis(10 * 4096, 128L << 20, 2));
  }

  @Test
  void hugeBacklogsSaturateInsteadOfOverflowing() {
    assertEquals(
        Long.MAX_VALUE,
        DowntimeModel.crtrMillis(Long.MAX_VALUE, 1, Long.MAX_VALUE, 1, Long.MAX_VALUE));
  }
}
