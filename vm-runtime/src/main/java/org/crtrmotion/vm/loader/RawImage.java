package org.crtrmotion.vm.loader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A flat binary (a Linux {@code Image}, an OpenSBI {@code fw_jump.bin}) that runs where it is
 * placed: one executable segment at {@code loadAddress}, entered at its first byte.
 */
public record RawImage(long entry, List<Segment> segments) implements BootImage {

  public RawImage {
    segments = Segments.checked(segments);
  }

  public static RawImage of(byte[] bytes, long loadAddress) throws ImageFormatException {
    if (bytes.length == 0) {
      throw new ImageFormatException(
          "raw image is empty: nothing to place at 0x" + Long.toHexString(loadAddress));
    }
    long last = loadAddress + bytes.length - 1;
    if (Long.compareUnsigned(last, loadAddress) < 0) {
      throw new ImageFormatException(
          "raw image of 0x"
              + Integer.toHexString(bytes.length)
              + " bytes at 0x"
              + Long.toHexString(loadAddress)
              + " wraps past the end of the address space");
    }
    Segment segment = new Segment(loadAddress, loadAddress, bytes, bytes.length, true);
    return new RawImage(loadAddress, List.of(segment));
  }

  public static RawImage read(Path file, long loadAddress)
      throws IOException, ImageFormatException {
    byte[] bytes = ImageFiles.readAll(file);
    try {
      return of(bytes, loadAddress);
    } catch (ImageFormatException e) {
      throw new ImageFormatException(file + ": " + e.getMessage(), e);
    }
  }
}
