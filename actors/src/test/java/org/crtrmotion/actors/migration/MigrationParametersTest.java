package org.crtrmotion.actors.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationParametersTest {

  @Test
  void defaultsAreQemus() {
    MigrationParameters p = MigrationParameters.defaults(Strategy.PRECOPY);
    assertEquals(Duration.ofMillis(300), p.downtimeLimit());
    assertEquals(128L << 20, p.maxBandwidthBytesPerSecond());
    assertEquals(new AutoConverge(true, 20, 10, 99), p.autoConverge());
  }

  @Test
  void autoConvergeStepsFromTheInitialByTheIncrementUpToTheMaximum() {
    AutoConverge steps = new AutoConverge(true, 20, 30, 70);
    assertEquals(20, steps.nextStep(0));
    assertEquals(50, steps.nextStep(20));
    assertEquals(70, steps.nextStep(50));
    assertTrue(steps.exhausted(70));
    assertTrue(AutoConverge.OFF.exhausted(0));
  }

  @Test
  void badValuesAreRefusedNamingTheParameter() {
    MigrationParameters p = MigrationParameters.defaults(Strategy.CRTR);
    assertMessage("downtime-limit", () -> p.withDowntimeLimit(Duration.ZERO));
    assertMessage("max-bandwidth", () -> p.withMaxBandwidth(-1));
    assertMessage("max-rounds", () -> p.withMaxRounds(0));
    assertMessage("deadline", () -> p.withDeadline(Duration.ofMillis(300)));
    assertMessage("max-cpu-throttle", () -> new AutoConverge(true, 50, 10, 40));
  }

  @Test
  void strategiesParseByTheirStableNamesOnly() {
    assertEquals(Strategy.CRTR, Strategy.parse("CRTR"));
    assertEquals(Strategy.PRECOPY, Strategy.parse(" precopy "));
    assertMessage("known: crtr, precopy", () -> Strategy.parse("postcopy"));
  }

  @Test
  void aReportRefusesACommitWithoutMatchingDigestsAndAnAbortWithoutReason() {
    assertMessage("equal digests", () -> report(Outcome.COMMITTED, "", DigestCheck.MISMATCH));
    assertMessage("must say why", () -> report(Outcome.ABORTED, "", DigestCheck.NOT_REACHED));
    assertEquals(0, report(Outcome.ABORTED, "cancelled", DigestCheck.NOT_REACHED).bytesTotal());
  }

  private static MigrationReport report(Outcome outcome, String reason, DigestCheck check) {
    return new MigrationReport(
        "m1",
        "vm1",
        "a",
        "b",
        Strategy.CRTR,
        outcome,
        reason,
        0,
        0,
        0,
        BytesByKind.NONE,
        List.of(),
        0,
        0,
        check,
        OutputContinuity.UNKNOWN);
  }

  private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(part), e.getMessage());
  }
}
