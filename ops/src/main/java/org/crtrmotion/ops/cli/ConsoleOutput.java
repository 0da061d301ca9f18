package org.crtrmotion.ops.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.crtrmotion.vm.board.Uart16550;

/** The guest's UART on the process's stdout, flushed at each line end. */
final class ConsoleOutput implements Uart16550.Output, AutoCloseable {
  private final OutputStream out = new FileOutputStream(FileDescriptor.out);
  private final byte[] buffer = new byte[8192];
  private int used;

  @Override
  public void write(int b) {
    buffer[used++] = (byte) b;
    if (b == '\n' || used == buffer.length) {
      flush();
    }
  }

  void flush() {
    try {
      out.write(buffer, 0, used);
      out.flush();
      used = 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the guest's console to stdout", e);
    }
  }

  @Override
  public void close() {
    flush();
  }
}
