package org.crtrmotion.vm.input;

import org.crtrmotion.vm.trace.InputEvent;

/** The recorded inputs of a replay, in order. */
public interface InputFeed {
  /** The next input without taking it, or null at the end of the trace. */
  InputEvent peek();

  /** Takes the next input. */
  InputEvent next();
}
