package org.crtrmotion.vm.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GuestMemoryTest {
  private static final long BASE = 0x8000_0000L;
  private final GuestMemory ram = new GuestMemory(BASE, 1L << 20);

  @Test
  void untouchedPagesAreNotAllocatedAndReadAsZero() {
    assertNull(ram.pageIfPresent(5));
    byte[] b = new byte[16];
    b[3] = 7;
    ram.read(BASE + 5 * 4096, b, 0, 16);
    assertArrayEquals(new byte[16], b);
    assertNull(ram.pageIfPresent(5), "reading through the bulk API does not allocate");
  }

  @Test
  void writesMarkEveryPageTheyTouchDirty() {
    ram.write(BASE + 4096 - 2, new byte[4], 0, 4);
    assertTrue(ram.isDirty(0));
    assertTrue(ram.isDirty(1));
    assertFalse(ram.isDirty(2));
    assertEquals(2, ram.dirtyPageCount());
  }

  @Test
  void collectReturnsTheIntervalsPagesAndStartsANewInterval() {
    ram.writeLong(BASE + 3 * 4096, 1);
    long[] first = ram.collectDirty();
    assertEquals(1L << 3, first[0]);
    assertEquals(0, ram.dirtyPageCount());
    assertEquals(0, ram.collectDirty()[0]);
  }

  @Test
  void collectTellsTheTrackerToDropCachedWritePermissions() {
    int[] cleared = {0};
    ram.setWriteTracker(
        new GuestMemory.WriteTracker() {
          @Override
          public void codePageWritten(int pageIndex) {}

          @Override
          public void dirtyBitsCleared() {
            cleared[0]++;
          }
        });
    ram.collectDirty();
    assertEquals(1, cleared[0]);
  }

  @Test
  void writingACodePageReportsItOnceAndClearsTheCodeMark() {
    int[] reported = {-1};
    ram.setWriteTracker(
        new GuestMemory.WriteTracker() {
          @Override
          public void codePageWritten(int pageIndex) {
            reported[0] = pageIndex;
          }

          @Override
          public void dirtyBitsCleared() {}
        });
    ram.markCode(9);
    ram.writeLong(BASE + 9 * 4096 + 8, 42);
    assertEquals(9, reported[0]);
    assertFalse(ram.isCode(9));
  }

  @Test
  void accessOutsideRamNamesTheRange() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ram.writeLong(BASE + (1L << 20) - 4, 1));
    assertTrue(e.getMessage().contains("outside RAM"), e.getMessage());
  }

  @Test
  void sizeMustBeWholePages() {
    assertThrows(IllegalArgumentException.class, () -> new GuestMemory(BASE, 4097));
  }
}
