package org.crtrmotion.actors.migration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConvergenceWatchTest {

  @Test
  void aShrinkingBacklogConverges() {
    ConvergenceWatch watch = new ConvergenceWatch(3);
    for (long v : new long[] {900, 500, 300, 200}) {
      watch.record(v);
    }
    assertFalse(watch.stalled());
  }

  @Test
  void aBacklogThatStandsStillAcrossTheWindowStalls() {
    ConvergenceWatch watch = new ConvergenceWatch(3);
    watch.record(500);
    watch.record(400);
    watch.record(500);
    assertTrue(watch.stalled());
  }

  @Test
  void progressRunningBackwardsStalls() {
    ConvergenceWatch watch = new ConvergenceWatch(2);
    watch.record(100);
    watch.record(200);
    assertTrue(watch.stalled());
  }

  @Test
  void oneBadRoundInsideAShrinkingWindowIsNotAStall() {
    ConvergenceWatch watch = new ConvergenceWatch(3);
    watch.record(900);
    watch.record(950);
    watch.record(400);
    assertFalse(watch.stalled());
  }

  @Test
  void noVerdictBeforeAFullWindowNorAfterAReset() {
    ConvergenceWatch watch = new ConvergenceWatch(3);
    watch.record(1);
    watch.record(1);
    assertFalse(watch.stalled());
    watch.record(1);
    assertTrue(watch.stalled());
    watch.reset();
    watch.record(1);
    assertFalse(watch.stalled());
  }

  @Test
  void aWindowOfOneRoundIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new ConvergenceWatch(1));
  }
}
