package org.crtrmotion.simulations.evaluation;

/**
 * The source guest's instruction rates measured in one run (instructions per second of wall time,
 * from exact instruction counts; -1 when not measured).
 *
 * @param liveInstructionsPerSecond running live, not recording, before the migration (the mean of a
 *     window before and one after the recording window)
 * @param recordingInstructionsPerSecond running while recording its inputs (CR/TR's logging), the
 *     checkpoint released at once, so only the recording costs
 * @param migratingInstructionsPerSecond while the migration ran, until the source paused
 * @param traceBytesPerSecond encoded trace bytes the recording window produced per second
 */
public record GuestRates(
    double liveInstructionsPerSecond,
    double recordingInstructionsPerSecond,
    double migratingInstructionsPerSecond,
    double traceBytesPerSecond) {

  public static final GuestRates UNMEASURED = new GuestRates(-1, -1, -1, -1);

  /** How much slower the guest ran while recording, in percent of its live rate (-1 unknown). */
  public double recordingOverheadPercent() {
    return slowdownPercent(recordingInstructionsPerSecond);
  }

  /** How much slower the source ran during the migration, in percent of its live rate. */
  public double migrationSlowdownPercent() {
    return slowdownPercent(migratingInstructionsPerSecond);
  }

  private double slowdownPercent(double rate) {
    if (liveInstructionsPerSecond <= 0 || rate < 0) {
      return -1;
    }
    return (1 - rate / liveInstructionsPerSecond) * 100;
  }
}
