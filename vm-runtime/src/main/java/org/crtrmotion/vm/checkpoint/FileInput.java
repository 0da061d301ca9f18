package org.crtrmotion.vm.checkpoint;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A checkpoint file's stream, which knows how many bytes it has left: a frame that announces more
 * than the rest of the file is refused before anything is read for it.
 */
final class FileInput extends FilterInputStream {
  private long remaining;

  FileInput(InputStream in, long length) {
    super(in);
    this.remaining = length;
  }

  long remaining() {
    return remaining;
  }

  @Override
  public int read() throws IOException {
    int b = super.read();
    if (b >= 0) {
      remaining--;
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = super.read(b, off, len);
    if (n > 0) {
      remaining -= n;
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = super.skip(n);
    remaining -= skipped;
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
