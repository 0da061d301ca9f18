package org.crtrmotion.simulations.evaluation;

/**
 * The source guest's instruction rates in one run, from exact instruction counts; -1 when not
 * measured. Each rate is given per second of wall time (what the guest's users see, and what moves
 * with the machine's load) and per second of the guest thread's CPU time (the work an instruction
 * costs, steady on a shared machine).
 *
 * @param live running live, not recording, before the migration (the mean of a window before and
 *     one after the recording window)
 * @param recording while recording its inputs as a CR/TR source does, the checkpoint released at
 *     once, so only the recording costs
 * @param migrating while the migration ran, until the source paused (or, aborted, to its end)
 * @param traceBytesPerSecond encoded trace bytes the recording window produced per second
 */
public record GuestRates(Rate live, Rate recording, Rate migrating, double traceBytesPerSecond) {

  /** Instructions per second of wall time and per second of the guest thread's CPU time. */
  public record Rate(double perWallSecond, double perCpuSecond) {
    public static final Rate UNMEASURED = new Rate(-1, -1);
  }

  public static final GuestRates UNMEASURED =
      new GuestRates(Rate.UNMEASURED, Rate.UNMEASURED, Rate.UNMEASURED, -1);

  /**
   * Recording's cost to the guest: how much fewer instructions a CPU second runs while recording,
   * in percent (NaN unknown). The paper's "slowdown caused by logging".
   */
  public double recordingOverheadPercent() {
    return slowdown(live.perCpuSecond(), recording.perCpuSecond());
  }

  /** The same on wall time: recording's cost plus whatever the machine's load did meanwhile. */
  public double recordingWallOverheadPercent() {
    return slowdown(live.perWallSecond(), recording.perWallSecond());
  }

  /** How much slower the source ran during the migration, in wall time (what its users saw). */
  public double migrationSlowdownPercent() {
    return slowdown(live.perWallSecond(), migrating.perWallSecond());
  }

  /** How much more CPU an instruction cost the source during the migration than live. */
  public double migrationCpuCostPercent() {
    return slowdown(live.perCpuSecond(), migrating.perCpuSecond());
  }

  private static double slowdown(double base, double rate) {
    if (base <= 0 || rate < 0) {
      return Double.NaN;
    }
    return (1 - rate / base) * 100;
  }
}
