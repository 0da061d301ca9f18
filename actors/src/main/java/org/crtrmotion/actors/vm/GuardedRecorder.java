package org.crtrmotion.actors.vm;

import org.crtrmotion.vm.input.InputObserver;

/**
 * The recorder as the machine sees it, guarded: when the trace stream is gone (the target failed,
 * the migration aborted) handing a segment over throws, and that must never stop the guest, whose
 * migration is then lost anyway while the VM itself must run on. The first failure is kept, later
 * inputs are dropped, and the guest thread detaches the recording after the slice.
 */
final class GuardedRecorder implements InputObserver {
  private final InputObserver recorder;
  private RuntimeException failure; // guest thread only

  GuardedRecorder(InputObserver recorder) {
    this.recorder = recorder;
  }

  RuntimeException failure() {
    return failure;
  }

  @Override
  public void timeRead(long instructionCount, long mtime) {
    if (failure == null) {
      try {
        recorder.timeRead(instructionCount, mtime);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
  }

  @Override
  public void timerLine(
      long instructionCount, long traps, boolean raised, boolean duringInstruction) {
    if (failure == null) {
      try {
        recorder.timerLine(instructionCount, traps, raised, duringInstruction);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
  }

  @Override
  public void consoleInput(long instructionCount, long traps, int b) {
    if (failure == null) {
      try {
        recorder.consoleInput(instructionCount, traps, b);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
  }

  @Override
  public void packet(long instructionCount, long traps, int device, byte[] frame) {
    // Received frames are inputs like the others: without this the trace had none of them (the
    // interface's default drops them) and a CR/TR replica of a NIC guest diverged.
    if (failure == null) {
      try {
        recorder.packet(instructionCount, traps, device, frame);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
  }
}
