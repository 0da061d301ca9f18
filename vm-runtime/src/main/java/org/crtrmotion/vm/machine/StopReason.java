package org.crtrmotion.vm.machine;

/** Why a run ended. */
public enum StopReason {
  /** The guest powered off (finisher or HTIF); the exit code is the guest's. */
  POWER_OFF,
  /** The instruction limit given to the run was reached. */
  INSTRUCTION_LIMIT,
  /** The guest waits in WFI and nothing can ever wake it. */
  HALTED,
  /** The guest can make no progress at all (its trap handler cannot even be fetched). */
  STUCK,
  /** A replay found the guest asking for an input the trace does not have there. */
  DIVERGED,
  /** A defect in the machine itself ended the run (never the guest's doing). */
  INTERNAL_ERROR,
  /** Someone outside the guest asked the machine to stop. */
  STOPPED,
  /**
   * Someone outside the guest asked for a pause ({@link Machine#requestPause()}): unlike {@link
   * #STOPPED} the machine may run again, exactly as if an instruction limit had ended the run here.
   */
  PAUSED,
  /** The guest asked the board for something it does not support. */
  UNSUPPORTED
}
