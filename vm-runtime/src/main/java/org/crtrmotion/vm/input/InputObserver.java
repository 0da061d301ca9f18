package org.crtrmotion.vm.input;

/**
 * Sees every non-deterministic input as it crosses the machine's boundary, with the instruction
 * count at which it took effect: a recorder.
 */
public interface InputObserver {
  /** The guest read the host clock (the time CSR or CLINT mtime) and got {@code mtime}. */
  void timeRead(long instructionCount, long mtime);

  /**
   * The machine timer's line changed (at {@code instructionCount}, after {@code traps} traps)
   * because host time passed (or stopped passing) mtimecmp; {@code mtime} is the time that decided
   * it, which a replay that goes live continues from.
   */
  void timerLine(
      long instructionCount, long traps, boolean raised, boolean duringInstruction, long mtime);
}
