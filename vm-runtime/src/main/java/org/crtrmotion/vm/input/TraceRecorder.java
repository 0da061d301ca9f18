package org.crtrmotion.vm.input;

import org.crtrmotion.vm.cpu.Causes;
import org.crtrmotion.vm.trace.InputEvent;
import org.crtrmotion.vm.trace.TraceWriter;

/** Records the machine's inputs into a trace, allocating nothing per input. */
public final class TraceRecorder implements InputObserver {
  private final TraceWriter writer;

  public TraceRecorder(TraceWriter writer) {
    this.writer = writer;
  }

  @Override
  public void timeRead(long instructionCount, long mtime) {
    writer.timeRead(instructionCount, mtime);
  }

  @Override
  public void timerLine(
      long instructionCount, long traps, boolean raised, boolean duringInstruction) {
    writer.irqLine(instructionCount, Causes.IRQ_M_TIMER, raised, duringInstruction, traps);
  }

  @Override
  public void consoleInput(long instructionCount, long traps, int b) {
    writer.consoleInput(instructionCount, b, traps);
  }

  @Override
  public void packet(long instructionCount, long traps, int device, byte[] frame) {
    writer.packet(instructionCount, (int) InputEvent.packPacket(device, traps), frame);
  }
}
