package org.crtrmotion.simulations.qemu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NumberedOutputTest {
  private static final String SOURCE = "idle: period_us=20000 ticks=0\ntick 1\ntick 2\ntick 3\n";

  @Test
  void linesThatRunOnAtTheTargetContinue() {
    NumberedOutput.Continuity c = NumberedOutput.check(SOURCE, "tick 4\ntick 5\n");
    assertTrue(c.continued());
    assertEquals(3, c.lastSourceTick());
    assertEquals(4, c.firstTargetTick());
    assertEquals(2, c.targetLines());
  }

  @Test
  void aLineTheTargetFinishesBelongsToTheSource() {
    NumberedOutput.Continuity c = NumberedOutput.check("tick 1\ntick 2\nti", "ck 3\ntick 4\n");
    assertTrue(c.continued());
    assertEquals(3, c.lastSourceTick());
    assertEquals(4, c.firstTargetTick());
  }

  @Test
  void aLostLineIsAGap() {
    assertFalse(NumberedOutput.check(SOURCE, "tick 5\ntick 6\n").continued());
  }

  @Test
  void aRepeatedLineIsAGap() {
    assertFalse(NumberedOutput.check(SOURCE, "tick 3\ntick 4\n").continued());
  }

  @Test
  void aSilentTargetDoesNotContinue() {
    NumberedOutput.Continuity c = NumberedOutput.check(SOURCE, "");
    assertFalse(c.continued());
    assertEquals(-1, c.firstTargetTick());
  }

  @Test
  void memorysReportLinesCountWithTheirStep() {
    NumberedOutput.Continuity c =
        NumberedOutput.check(
            "memory: tick 0 dirtied=0 checksum=1\nmemory: tick 500 dirtied=64000 checksum=2\n",
            "memory: tick 1000 dirtied=128000 checksum=3\n");
    assertTrue(c.continued());
    assertEquals(1000, c.firstTargetTick());
  }

  @Test
  void anUnfinishedLastLineIsNotCounted() {
    assertEquals(0, NumberedOutput.check(SOURCE, "tick 4").targetLines());
  }
}
