package org.crtrmotion.vm.loader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

final class ImageFiles {
  // A Java array holds a little under 2 GiB; say so instead of failing with OutOfMemoryError.
  static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;

  private ImageFiles() {}

  static byte[] readAll(Path file) throws IOException, ImageFormatException {
    long size = Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new ImageFormatException(
          file
              + ": file is 0x"
              + Long.toHexString(size)
              + " bytes; images up to 0x"
              + Long.toHexString(MAX_FILE_BYTES)
              + " bytes are supported");
    }
    return Files.readAllBytes(file);
  }
}
