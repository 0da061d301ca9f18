package org.crtrmotion.actors.migration;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Tells a migration that is not converging from one that is merely slow: the quantity that must
 * shrink (the expected downtime, the backlog) has not shrunk across a window of rounds. Progress
 * that runs backwards or stands still is caught; a single bad round is not.
 */
public final class ConvergenceWatch {
  private final int windowRounds;
  private final Deque<Long> recent = new ArrayDeque<>();

  /**
   * @param windowRounds at least 2: the rounds compared, the first against the last
   */
  public ConvergenceWatch(int windowRounds) {
    if (windowRounds < 2) {
      throw new IllegalArgumentException("a window needs at least 2 rounds, not " + windowRounds);
    }
    this.windowRounds = windowRounds;
  }

  /** Records a round's measure (smaller is better). */
  public void record(long measure) {
    recent.addLast(measure);
    if (recent.size() > windowRounds) {
      recent.removeFirst();
    }
  }

  /** True when a full window has passed and its last measure is no smaller than its first. */
  public boolean stalled() {
    return recent.size() == windowRounds && recent.peekLast() >= recent.peekFirst();
  }

  /** Starts over, e.g. after the throttle changed: the new regime gets its own window. */
  public void reset() {
    recent.clear();
  }
}
