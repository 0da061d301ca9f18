package org.crtrmotion.vm.cpu;

/** The machine timer as the interpreter needs it (the CLINT implements it). */
public interface Timer {
  /** Brings the timer interrupt line up to date with the current time. */
  void sync();

  /**
   * How many instructions may retire before the timer line can change by itself; {@code
   * Long.MAX_VALUE} when it cannot (no deadline, or the line is already up).
   */
  long instructionsUntilChange();
}
