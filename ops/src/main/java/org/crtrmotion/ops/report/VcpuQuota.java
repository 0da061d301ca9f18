package org.crtrmotion.ops.report;

import java.util.Locale;

/**
 * A vCPU quota as users write it: instructions per second of wall time, a whole number with an
 * optional decimal suffix (K = 1,000, M = 1,000,000, G = 1,000,000,000, as MIPS count), 0 for none.
 * The API's {@code quota}, {@code crtr vm start --quota} and {@code crtr demo --quota} read it
 * here.
 */
public final class VcpuQuota {
  private VcpuQuota() {}

  /**
   * @return instructions per second, 0 for none
   * @throws IllegalArgumentException naming the text when it is no such rate
   */
  public static long parse(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    int suffix = t.isEmpty() ? -1 : "KMG".indexOf(t.charAt(t.length() - 1));
    if (suffix >= 0) {
      unit = (long) Math.pow(1000, suffix + 1);
      t = t.substring(0, t.length() - 1);
    }
    long n;
    try {
      n = Long.parseLong(t);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "not a vCPU quota: '"
              + text
              + "' (instructions per second, e.g. 20000000 or 20M; 0 for none)");
    }
    if (n < 0 || n > Long.MAX_VALUE / unit) {
      throw new IllegalArgumentException(
          "a vCPU quota is 0 (none) or a positive number of instructions per second, not '"
              + text
              + "'");
    }
    return n * unit;
  }
}
