package org.crtrmotion.vm.input;

/** The recorded inputs of a replay, in order. */
public interface InputFeed {
  /** The next input without taking it, or null at the end of the trace. */
  RecordedInput peek();

  /** Takes the next input. */
  RecordedInput next();
}
