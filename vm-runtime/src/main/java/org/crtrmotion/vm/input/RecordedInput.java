package org.crtrmotion.vm.input;

/**
 * One input as a trace gives it back to a replaying machine: where it took effect (the instruction
 * count, and for inputs between instructions the number of traps taken, which tells apart the
 * moments before and after a trap at the same count) and what it was.
 */
public record RecordedInput(long instructionCount, long traps, Kind kind, long value) {
  public enum Kind {
    /** value: the mtime the guest read. */
    TIME_READ,
    /**
     * value: {@code mtime << 2 | during << 1 | level}: level 1 when the timer line went up, during
     * 1 when a guest write to the timer changed it in the middle of an instruction (0: between
     * instructions).
     */
    TIMER_LINE;

    /** The value of a TIMER_LINE input. */
    public static long timerLine(boolean raised, boolean duringInstruction, long mtime) {
      return mtime << 2 | (duringInstruction ? 2 : 0) | (raised ? 1 : 0);
    }
  }
}
