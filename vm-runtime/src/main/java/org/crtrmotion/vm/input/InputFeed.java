package org.crtrmotion.vm.input;

import org.crtrmotion.vm.trace.InputEvent;

/** The recorded inputs of a replay, in order. */
public interface InputFeed {
  /** The next input without taking it, or null at the end of the trace. */
  InputEvent peek();

  /** Takes the next input. */
  InputEvent next();

  /**
   * Whether inputs may still be appended after {@link #peek()} said null (a trace arriving while it
   * is replayed): then a replayed guest idle with nothing to wake it waits for more trace instead
   * of being stuck.
   */
  default boolean mayGrow() {
    return false;
  }
}
