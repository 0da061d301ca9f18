package org.crtrmotion.vm.input;

import java.util.List;
import org.crtrmotion.vm.trace.InputEvent;

/** Replays inputs held in memory, such as a whole trace read from a file. */
public final class ListFeed implements InputFeed {
  private final List<InputEvent> inputs;
  private int next;

  public ListFeed(List<InputEvent> inputs) {
    this.inputs = List.copyOf(inputs);
  }

  @Override
  public InputEvent peek() {
    return next < inputs.size() ? inputs.get(next) : null;
  }

  @Override
  public InputEvent next() {
    return inputs.get(next++);
  }

  /** Inputs taken so far. */
  public int consumed() {
    return next;
  }
}
