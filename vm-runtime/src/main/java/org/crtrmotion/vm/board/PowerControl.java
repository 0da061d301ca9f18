package org.crtrmotion.vm.board;

/**
 * What a guest can ask of the board's power: off with an exit code, a reset, or a stop on error.
 */
public interface PowerControl {
  void powerOff(int exitCode);

  void reset();

  /** The guest asked for something the board cannot do; the run ends with this reason. */
  void unsupported(String reason);
}
