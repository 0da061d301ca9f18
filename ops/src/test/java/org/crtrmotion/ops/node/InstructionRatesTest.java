package org.crtrmotion.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InstructionRatesTest {

  @Test
  void aVmSeenOnceHasNoRateYet() {
    assertEquals(Map.of(), new InstructionRates().update(Map.of("a", 100L), 0));
  }

  @Test
  void theRateIsTheInstructionsRetiredBetweenTwoSamplesPerSecond() {
    InstructionRates rates = new InstructionRates();
    rates.update(Map.of("a", 1_000L), 1_000_000_000L);
    assertEquals(Map.of("a", 4_000.0), rates.update(Map.of("a", 3_000L), 1_500_000_000L));
  }

  @Test
  void aVmMissingFromASampleIsForgottenAndStartsOverWhenSeenAgain() {
    InstructionRates rates = new InstructionRates();
    rates.update(Map.of("a", 1L, "b", 1L), 0);
    rates.update(Map.of("b", 2L), 1_000_000_000L);
    assertEquals(Map.of("b", 1.0), rates.update(Map.of("a", 5L, "b", 3L), 2_000_000_000L));
  }
}
