package org.crtrmotion.ops.node;

import java.util.HashMap;
import java.util.Map;

/**
 * Instructions per second of each VM from two successive samples of its exact instruction count. A
 * VM seen for the first time has no rate yet; a VM missing from a sample is forgotten.
 */
final class InstructionRates {
  private record Sample(long instructions, long nanos) {}

  private final Map<String, Sample> last = new HashMap<>();

  /**
   * @param instructions each VM's retired instructions, read at {@code nowNanos}
   * @return the rate since the previous sample of each VM that has one
   */
  synchronized Map<String, Double> update(Map<String, Long> instructions, long nowNanos) {
    Map<String, Double> rates = new HashMap<>();
    last.keySet().retainAll(instructions.keySet());
    for (Map.Entry<String, Long> e : instructions.entrySet()) {
      Sample before = last.put(e.getKey(), new Sample(e.getValue(), nowNanos));
      if (before != null && nowNanos > before.nanos()) {
        double seconds = (nowNanos - before.nanos()) / 1e9;
        rates.put(e.getKey(), Math.max(0, e.getValue() - before.instructions()) / seconds);
      }
    }
    return rates;
  }
}
