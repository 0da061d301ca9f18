package org.crtrmotion.vm.machine;

import org.crtrmotion.vm.input.GrowingFeed;

/**
 * Replays a trace while it is still arriving: runs the machine exactly as far as the {@link
 * GrowingFeed} covers, waits (blocked, interruptible, no polling) for more, and at the end of the
 * trace stops at its final instruction count.
 *
 * <p>Why running to exactly the coverage is safe although events at that very count may still be on
 * their way: a run to count {@code c} executes only instructions retired while the count is below
 * {@code c}, so every clock read it replays is below {@code c}; and the interpreter checks its
 * budget before the inputs that arrive between instructions (timer line, console bytes), so those
 * at {@code c} are looked at only when the next run starts, by which time the feed covers past
 * {@code c} or has ended. {@code StreamingReplayTest} cuts a trace at events' own counts to pin
 * this down.
 *
 * <p>Instruction counts are the hart's ({@code instret}), as the recorder writes them; a guest that
 * resets during the replay is not supported. Runs on the VM thread.
 */
public final class StreamingReplay {
  /** Where a step left the machine: the run's result and whether the trace has been replayed. */
  public record Step(RunResult result, long instructions, boolean traceEnded) {
    /** Whether the machine stopped for its own reason (power off, divergence, ...). */
    public boolean stoppedEarly() {
      return result.reason() != StopReason.INSTRUCTION_LIMIT;
    }
  }

  private final Machine machine;
  private final GrowingFeed feed;

  /** Attaches {@code feed} to {@code machine}, which must be in the state the trace starts from. */
  public StreamingReplay(Machine machine, GrowingFeed feed) {
    this.machine = machine;
    this.feed = feed;
    // Never go live on an empty feed: empty only means the next segment has not arrived yet.
    machine.replay(feed, false);
  }

  /**
   * Waits until the trace covers more than the machine has run (or has ended), then runs the
   * machine to that coverage. Throws {@link IllegalStateException} when the trace stream failed.
   */
  public Step runToCovered() throws InterruptedException {
    long at = machine.instructionsRetired();
    GrowingFeed.Coverage covered = feed.awaitCoverageBeyond(at);
    // Only a finished trace returns a coverage the machine has reached; run(0) would mean no limit.
    RunResult r =
        covered.icount() > at
            ? machine.run(covered.icount())
            : new RunResult(
                StopReason.INSTRUCTION_LIMIT,
                0,
                0,
                "the trace ends at instruction " + covered.icount() + ", already reached");
    long now = machine.instructionsRetired();
    return new Step(r, now, covered.finished() && now == covered.icount());
  }

  /** Steps until the trace has been replayed to its end or the machine stops for another reason. */
  public Step runToEnd() throws InterruptedException {
    while (true) {
      Step s = runToCovered();
      if (s.traceEnded() || s.stoppedEarly()) {
        return s;
      }
    }
  }
}
