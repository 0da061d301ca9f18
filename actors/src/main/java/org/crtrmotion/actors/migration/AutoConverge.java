package org.crtrmotion.actors.migration;

/**
 * Slowing the source's vCPU in steps when a migration does not converge, as QEMU's auto-converge
 * does; the names and defaults are QEMU's ({@code cpu-throttle-initial}, {@code
 * cpu-throttle-increment}, {@code max-cpu-throttle}).
 *
 * @param enabled whether throttling is allowed at all
 * @param initialPercent the share of the source's time taken away at the first step
 * @param incrementPercent added at each further step
 * @param maxPercent never more than this
 */
public record AutoConverge(
    boolean enabled, int initialPercent, int incrementPercent, int maxPercent) {

  public static final AutoConverge QEMU_DEFAULTS = new AutoConverge(true, 20, 10, 99);
  public static final AutoConverge OFF = new AutoConverge(false, 20, 10, 99);

  public AutoConverge {
    check("cpu-throttle-initial", initialPercent, 1, 99);
    check("cpu-throttle-increment", incrementPercent, 1, 99);
    check("max-cpu-throttle", maxPercent, initialPercent, 99);
  }

  /** The throttle after {@code current} percent did not help: the next step, capped. */
  public int nextStep(int currentPercent) {
    if (currentPercent <= 0) {
      return initialPercent;
    }
    return Math.min(maxPercent, currentPercent + incrementPercent);
  }

  /** Whether no further step is left at {@code currentPercent}. */
  public boolean exhausted(int currentPercent) {
    return !enabled || currentPercent >= maxPercent;
  }

  private static void check(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + " percent, not " + value);
    }
  }
}
