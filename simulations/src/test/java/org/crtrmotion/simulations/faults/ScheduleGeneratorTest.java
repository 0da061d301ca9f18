package org.crtrmotion.simulations.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScheduleGeneratorTest {
  private static final SimulationSize SIZE = new SimulationSize(4, 3, 6);

  @Test
  void theSameSeedGivesAnEqualSchedule() {
    Schedule first = ScheduleGenerator.generate(42, SIZE);
    Schedule second = ScheduleGenerator.generate(42, SIZE);

    assertEquals(first, second);
    assertEquals(first.describe(), second.describe());
  }

  @Test
  void anotherSeedGivesAnotherSchedule() {
    assertNotEquals(
        ScheduleGenerator.generate(1, SIZE).describe(),
        ScheduleGenerator.generate(2, SIZE).describe());
  }

  /** Seed 1 once drew a downtime-limit longer than its deadline, which the parameters refuse. */
  @Test
  void everyDrawnMigrationHasParametersTheRuntimeAccepts() {
    for (long seed = 0; seed < 2_000; seed++) {
      for (Schedule.MigrationPlan m : ScheduleGenerator.generate(seed, SIZE).migrations()) {
        m.parameters(); // throws on a combination MigrationParameters refuses
      }
    }
  }

  @Test
  void aThousandSeedsDrawEveryKindOfFault() {
    Set<FaultKind> seen = EnumSet.noneOf(FaultKind.class);
    for (long seed = 0; seed < 1_000; seed++) {
      Schedule s = ScheduleGenerator.generate(seed, SIZE);
      s.faults().forEach(f -> seen.add(f.kind()));
      s.migrations().stream()
          .filter(Schedule.MigrationPlan::trickle)
          .findAny()
          .ifPresent(m -> seen.add(FaultKind.TRICKLE));
      for (Schedule.NodeSites n : s.sites()) {
        if (n.cutTraceAtRound() > 0) seen.add(FaultKind.CUT_TRACE);
        if (n.partitionTraceAtRound() > 0) seen.add(FaultKind.PARTITION_TRACE);
        if (n.corruptTraceAtRound() > 0) seen.add(FaultKind.CORRUPT_TRACE);
        if (n.slowReplay()) seen.add(FaultKind.SLOW_REPLAY);
        if (n.misreportDigest()) seen.add(FaultKind.MISREPORT_DIGEST);
      }
    }
    assertEquals(EnumSet.allOf(FaultKind.class), seen);
  }

  @Test
  void migrationsOfOneGuestAndOfSeveralGuestsAreBothDrawn() {
    boolean chained = false;
    boolean concurrent = false;
    for (long seed = 0; seed < 100; seed++) {
      var ms = ScheduleGenerator.generate(seed, SIZE).migrations();
      chained |= ms.stream().map(Schedule.MigrationPlan::vm).distinct().count() < ms.size();
      concurrent |= ms.stream().map(Schedule.MigrationPlan::vm).distinct().count() > 1;
    }
    assertTrue(chained, "no seed chains two migrations of one guest");
    assertTrue(concurrent, "no seed migrates two guests at once");
  }

  @Test
  void aSizeOutOfRangeIsRefusedNamingTheOption() {
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> new SimulationSize(1, 1, 1));
    assertTrue(e.getMessage().startsWith("--nodes"), e.getMessage());
  }
}
