package org.crtrmotion.actors.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VcpuPacerTest {
  private static final long MS = 1_000_000L;
  private static final long SLICE = 1L << 20;

  @Test
  void withoutThrottleOrQuotaTheGuestNeverWaits() {
    VcpuPacer p = new VcpuPacer(SLICE, 0);
    p.ran(0, 5 * MS, SLICE, SLICE);
    assertEquals(0, p.waitNanos(5 * MS));
    assertEquals(SLICE, p.sliceInstructions());
  }

  @Test
  void aThrottleOfEightyPercentWaitsFourTimesTheSlicesRunTime() {
    VcpuPacer p = new VcpuPacer(SLICE, 0);
    p.setThrottle(80);
    p.ran(10 * MS, 12 * MS, 1000, 1000);
    assertEquals(8 * MS, p.waitNanos(12 * MS));
    assertEquals(3 * MS, p.waitNanos(17 * MS), "what is left of the wait");
    assertEquals(0, p.waitNanos(20 * MS));
  }

  @Test
  void theThrottleShrinksTheSliceToTheGuestsShareOfTime() {
    VcpuPacer p = new VcpuPacer(SLICE, 0);
    p.setThrottle(20);
    assertEquals(SLICE * 80 / 100, p.sliceInstructions());
    p.setThrottle(99);
    assertEquals(SLICE / 100, p.sliceInstructions());
    p.setThrottle(0);
    assertEquals(SLICE, p.sliceInstructions());
  }

  @Test
  void aQuotaMakesASliceThatRanAheadWaitUntilItsInstructionsArePaid() {
    VcpuPacer p = new VcpuPacer(SLICE, 1_000_000);
    assertEquals(10_000, p.sliceInstructions(), "a hundredth of a second's quota");
    p.ran(0, 2 * MS, 10_000, 10_000);
    assertEquals(8 * MS, p.waitNanos(2 * MS));
    // The next slice starts when paid and is paid from there on.
    p.ran(10 * MS, 11 * MS, 10_000, 20_000);
    assertEquals(9 * MS, p.waitNanos(11 * MS));
  }

  @Test
  void aGuestSlowerThanItsQuotaEarnsNoCreditForLater() {
    VcpuPacer p = new VcpuPacer(SLICE, 1_000_000);
    p.ran(0, 20 * MS, 10_000, 10_000);
    assertEquals(0, p.waitNanos(20 * MS));
    p.ran(20 * MS, 21 * MS, 10_000, 20_000);
    assertEquals(9 * MS, p.waitNanos(21 * MS));
  }

  @Test
  void aQuotaCostIsRoundedUpToTheNextNanosecond() {
    VcpuPacer p = new VcpuPacer(SLICE, 3);
    p.ran(0, 0, 1, 1);
    assertEquals(333_333_334L, p.waitNanos(0));
  }

  @Test
  void throttleAndQuotaTogetherWaitForTheLaterOfTheTwo() {
    VcpuPacer p = new VcpuPacer(SLICE, 1_000_000);
    p.setThrottle(50);
    p.ran(0, 2 * MS, 10_000, 10_000); // throttle: until 4 ms; quota: until 10 ms
    assertEquals(8 * MS, p.waitNanos(2 * MS));
    p.ran(10 * MS, 17 * MS, 10_000, 20_000); // throttle: until 24 ms; quota: until 20 ms
    assertEquals(7 * MS, p.waitNanos(17 * MS));
  }

  @Test
  void aPauseDropsWhatTheGuestStillOwed() {
    VcpuPacer p = new VcpuPacer(SLICE, 1_000_000);
    p.ran(0, 1 * MS, 10_000, 10_000);
    p.paused();
    assertEquals(0, p.waitNanos(1 * MS));
  }

  @Test
  void theRecentRateIsTheInstructionsOfTheLastWindowOverItsLength() {
    VcpuPacer p = new VcpuPacer(SLICE, 0);
    assertEquals(0, p.recentInstructionsPerSecond());
    p.ran(0, 500 * MS, 1_000_000, 1_000_000);
    assertEquals(0, p.recentInstructionsPerSecond(), "no window closed yet");
    p.ran(750 * MS, 1250 * MS, 1_500_000, 2_500_000);
    assertEquals(2_000_000, p.recentInstructionsPerSecond(), "2.5 M in 1.25 s");
    p.ran(1250 * MS, 2250 * MS, 500_000, 3_000_000);
    assertEquals(500_000, p.recentInstructionsPerSecond());
  }

  @Test
  void aThrottleOutsideZeroToNinetyNineIsRefusedNamingTheValue() {
    VcpuPacer p = new VcpuPacer(SLICE, 0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> p.setThrottle(100));
    assertTrue(e.getMessage().contains("100"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> p.setThrottle(-1));
  }

  @Test
  void aNegativeQuotaIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new VcpuPacer(SLICE, -5));
  }
}
