package org.crtrmotion.actors.vm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.crtrmotion.vm.board.Uart16550;

/**
 * The guest's console bytes cut into lines on the guest thread; each complete line goes to {@code
 * sink}. A line longer than {@link #MAX_LINE_BYTES} is cut there, so a guest that never ends a line
 * cannot grow the buffer without bound.
 */
final class ConsoleLines implements Uart16550.Output {
  static final int MAX_LINE_BYTES = 4096;

  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final Consumer<String> sink;

  ConsoleLines(Consumer<String> sink) {
    this.sink = sink;
  }

  @Override
  public void write(int b) {
    if (b == '\n') {
      emit();
      return;
    }
    line.write(b);
    if (line.size() >= MAX_LINE_BYTES) {
      emit();
    }
  }

  /** The bytes of the line not yet ended: what a migrated VM's target carries on with. */
  byte[] pending() {
    return line.toByteArray();
  }

  /**
   * Starts with the source's unfinished line: the target's next bytes complete it, so the line the
   * source began is emitted once, here, whole.
   */
  void carryOn(byte[] pending) {
    line.write(pending, 0, pending.length);
  }

  /** Emits what is buffered as a last, unterminated line (at the guest's end). */
  void flush() {
    if (line.size() > 0) {
      emit();
    }
  }

  private void emit() {
    String text = line.toString(StandardCharsets.UTF_8);
    line.reset();
    sink.accept(text.endsWith("\r") ? text.substring(0, text.length() - 1) : text);
  }
}
