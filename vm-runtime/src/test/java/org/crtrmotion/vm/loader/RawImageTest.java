package org.crtrmotion.vm.loader;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.crtrmotion.vm.loader.BootImage.Segment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawImageTest {
  private static final byte[] KERNEL = {0x13, 0, 0, 0, 0x6f, 0, 0, 0};

  @Test
  void rawImageIsOneExecutableSegmentEnteredAtItsFirstByte() throws Exception {
    RawImage image = RawImage.of(KERNEL, 0x8020_0000L);

    assertEquals(0x8020_0000L, image.entry());
    assertEquals(0x8020_0000L, image.loadAddress());
    Segment segment = image.segments().get(0);
    assertEquals(1, image.segments().size());
    assertEquals(0x8020_0000L, segment.physicalAddress());
    assertEquals(0x8020_0000L, segment.virtualAddress());
    assertEquals(KERNEL.length, segment.memorySize());
    assertTrue(segment.executable());
    assertArrayEquals(KERNEL, segment.data());
  }

  @Test
  void emptyRawImageIsRefusedNamingWhereItWouldHaveGone() {
    ImageFormatException e =
        assertThrows(ImageFormatException.class, () -> RawImage.of(new byte[0], 0x8000_0000L));
    assertEquals("raw image is empty: nothing to place at 0x80000000", e.getMessage());
  }

  @Test
  void rawImageThatWrapsPastTheTopOfTheAddressSpaceIsRefused() {
    ImageFormatException e =
        assertThrows(ImageFormatException.class, () -> RawImage.of(KERNEL, 0xffff_ffff_ffff_fffcL));
    assertEquals(
        "raw image of 0x8 bytes at 0xfffffffffffffffc wraps past the end of the address space",
        e.getMessage());
  }

  @Test
  void readPlacesTheFileBytesAndNamesTheFileWhenRefused(@TempDir Path dir) throws Exception {
    Path kernel = Files.write(dir.resolve("Image"), KERNEL);
    Path empty = Files.write(dir.resolve("empty.bin"), new byte[0]);

    assertEquals(RawImage.of(KERNEL, 0x8020_0000L), RawImage.read(kernel, 0x8020_0000L));
    ImageFormatException e =
        assertThrows(ImageFormatException.class, () -> RawImage.read(empty, 0x8020_0000L));
    assertEquals(empty + ": raw image is empty: nothing to place at 0x80200000", e.getMessage());
  }
}
