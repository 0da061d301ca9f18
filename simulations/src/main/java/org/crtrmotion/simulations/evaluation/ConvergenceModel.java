package org.crtrmotion.simulations.evaluation;

/**
 * PAPER.md's convergence model, round by round: a first transfer of {@code C} bytes at link rate
 * {@code B} takes {@code T0 = C/B}; meanwhile the source produces {@code L1 = g·T0} bytes of
 * backlog (trace for CR/TR, dirty pages for pre-copy); each later round carries the backlog of the
 * round before and shrinks it by {@code ρ = max(g/B, 1/p)}, where {@code p} is the replay speed in
 * seconds of source execution per wall-clock second (infinite for pre-copy: nothing is replayed).
 * The source freezes at the first round whose backlog {@code L} gives {@code L/B + L/(g·p) +
 * handover} within the downtime limit, or at {@code maxRounds}.
 *
 * <p>A runtime that decides only at ticks makes every round last at least {@code minRoundSeconds}
 * (the coordinator's round interval; 0 gives PAPER.md's model unchanged). The tick lengthens the
 * time, not the backlog: a round's backlog is still what the source produced while the round before
 * was being sent (and replayed); in the rest of the tick the pipeline keeps up (ρ &lt; 1) or, for
 * pre-copy, the next page round has already started.
 *
 * <p>Rounds are stepped one at a time rather than summed as {@code T0/(1−ρ)}, so that a model that
 * does not converge ({@code ρ ≥ 1}) still predicts what the forced freeze at {@code maxRounds}
 * costs. Pre-copy's backlog cannot outgrow the memory the guest keeps dirtying: {@code
 * backlogCapBytes} bounds it (0: no bound).
 */
public final class ConvergenceModel {
  private ConvergenceModel() {}

  /**
   * The model's inputs, every one a measured rate or size.
   *
   * @param firstTransferBytes C: the checkpoint (CR/TR) or the first round of pages (pre-copy)
   * @param linkBytesPerSecond B
   * @param producedBytesPerSecond g: trace recorded, or pages dirtied, per second of source time
   * @param replaySpeed p; {@link Double#POSITIVE_INFINITY} when nothing is replayed (pre-copy)
   * @param backlogCapBytes the most the backlog can hold (pre-copy: the dirty working set); 0 none
   * @param minRoundSeconds the shortest a round lasts (the runtime's decision tick); 0 none
   */
  public record Inputs(
      long firstTransferBytes,
      double linkBytesPerSecond,
      double producedBytesPerSecond,
      double replaySpeed,
      long backlogCapBytes,
      double minRoundSeconds,
      long downtimeLimitMillis,
      long handoverMillis,
      int maxRounds) {
    public Inputs {
      if (firstTransferBytes < 0
          || producedBytesPerSecond < 0
          || backlogCapBytes < 0
          || minRoundSeconds < 0) {
        throw new IllegalArgumentException("sizes and rates cannot be negative");
      }
      if (!(linkBytesPerSecond > 0)) {
        throw new IllegalArgumentException(
            "the model needs a positive link rate, not " + linkBytesPerSecond);
      }
      if (!(replaySpeed > 0)) {
        throw new IllegalArgumentException(
            "the model needs a positive replay speed, not " + replaySpeed);
      }
      if (maxRounds < 1) {
        throw new IllegalArgumentException("max-rounds must be at least 1, not " + maxRounds);
      }
    }

    /** ρ: how much each round shrinks the backlog. */
    public double shrinkFactor() {
      return Math.max(producedBytesPerSecond / linkBytesPerSecond, 1 / replaySpeed);
    }
  }

  /**
   * What the model predicts.
   *
   * @param rounds rounds after the first transfer, the frozen one included (at least 1)
   * @param converges whether the downtime limit was met before {@code maxRounds}
   */
  public record Prediction(
      double downtimeMillis, double totalTimeMillis, double bytes, int rounds, boolean converges) {}

  public static Prediction predict(Inputs in) {
    double b = in.linkBytesPerSecond();
    double g = in.producedBytesPerSecond();
    double secondsPerByte = Math.max(1 / b, g > 0 ? 1 / (g * in.replaySpeed()) : 0);
    double work = in.firstTransferBytes() / b;
    double elapsed = Math.max(work, in.minRoundSeconds());
    double sent = in.firstTransferBytes();
    double backlog = cap(g * work, in.backlogCapBytes());
    int round = 1;
    while (true) {
      double downtime = downtimeMillis(backlog, in);
      boolean fits = downtime <= in.downtimeLimitMillis();
      if (fits || round >= in.maxRounds()) {
        return new Prediction(downtime, elapsed * 1000 + downtime, sent + backlog, round, fits);
      }
      // This round carries the backlog while the source produces the next one.
      work = backlog * secondsPerByte;
      elapsed += Math.max(work, in.minRoundSeconds());
      sent += backlog;
      backlog = cap(g * work, in.backlogCapBytes());
      round++;
    }
  }

  /** {@code L/B + L/(g·p) + handover}: the last backlog crosses the link and is replayed. */
  static double downtimeMillis(double backlogBytes, Inputs in) {
    double g = in.producedBytesPerSecond();
    double replaySeconds = g > 0 ? backlogBytes / (g * in.replaySpeed()) : 0;
    return (backlogBytes / in.linkBytesPerSecond() + replaySeconds) * 1000 + in.handoverMillis();
  }

  private static double cap(double backlog, long capBytes) {
    return capBytes > 0 ? Math.min(backlog, capBytes) : backlog;
  }
}
