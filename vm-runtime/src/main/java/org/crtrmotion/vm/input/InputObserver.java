package org.crtrmotion.vm.input;

/**
 * Sees every non-deterministic input as it crosses the machine's boundary, with the instruction
 * count at which it took effect: a recorder.
 */
public interface InputObserver {
  /** The guest read the host clock (the time CSR or CLINT mtime) and got {@code mtime}. */
  void timeRead(long instructionCount, long mtime);

  /**
   * The machine timer's line changed because host time passed (or stopped passing) mtimecmp: during
   * the instruction at {@code instructionCount} (a guest write to the timer), or between
   * instructions after {@code traps} traps since reset.
   */
  void timerLine(long instructionCount, long traps, boolean raised, boolean duringInstruction);

  /** The UART received {@code b} from the host, between instructions after {@code traps} traps. */
  void consoleInput(long instructionCount, long traps, int b);

  /**
   * Network device {@code device} received {@code frame} from the host, between instructions after
   * {@code traps} traps since reset. The frame must not be changed afterwards.
   */
  default void packet(long instructionCount, long traps, int device, byte[] frame) {}
}
