package org.crtrmotion.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RateMeterTest {
  private static final long MS = 1_000_000L;
  private static final long SECOND = 1_000_000_000L;

  @Test
  void bytesInTheWindowCountPerSecondOfTheWindow() {
    RateMeter meter = new RateMeter(2 * SECOND, 10, 0);
    meter.record(0, 1000);
    meter.record(700 * MS, 2000);

    assertEquals(1500, meter.bytesPerSecond(1900 * MS));
  }

  @Test
  void aSlotLeavesTheWindowWholeWhenItEnds() {
    RateMeter meter = new RateMeter(1 * SECOND, 10, 0);
    meter.record(0, 1000);
    meter.record(550 * MS, 1000);

    assertEquals(2000, meter.bytesPerSecond(999 * MS));
    assertEquals(1000, meter.bytesPerSecond(1000 * MS)); // the slot [0, 100 ms) has gone
    // The bytes of 550 ms sit in the slot [500, 600 ms), which leaves as the window passes 1.5 s.
    assertEquals(1000, meter.bytesPerSecond(1499 * MS));
    assertEquals(0, meter.bytesPerSecond(1500 * MS));
  }

  @Test
  void anIdleMeterReadsZeroAndCountsAgainAfterALongSilence() {
    RateMeter meter = new RateMeter(1 * SECOND, 10, 0);
    meter.record(0, 5000);
    long anHourLater = 3600 * SECOND;

    assertEquals(0, meter.bytesPerSecond(anHourLater));
    meter.record(anHourLater, 300);
    assertEquals(300, meter.bytesPerSecond(anHourLater + 10 * MS));
  }

  @Test
  void slotsCountFromTheMetersBirthWhateverTheClocksOrigin() {
    long birth = -5 * SECOND - 30 * MS; // System.nanoTime may be negative
    RateMeter meter = new RateMeter(1 * SECOND, 10, birth);
    meter.record(birth, 400);
    meter.record(birth + 950 * MS, 600);

    assertEquals(1000, meter.bytesPerSecond(birth + 999 * MS));
    assertEquals(600, meter.bytesPerSecond(birth + 1 * SECOND));
  }

  @Test
  void aClockReadThatLagsCountsInTheCurrentSlot() {
    RateMeter meter = new RateMeter(1 * SECOND, 10, 0);
    meter.record(500 * MS, 100);
    meter.record(450 * MS, 100);

    assertEquals(200, meter.bytesPerSecond(500 * MS));
    assertEquals(0, meter.bytesPerSecond(1500 * MS));
  }

  @Test
  void aWindowThatCannotBeCutIntoItsSlotsIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new RateMeter(5, 10, 0));
    assertThrows(IllegalArgumentException.class, () -> new RateMeter(SECOND, 0, 0));
  }
}
