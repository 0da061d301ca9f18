package org.crtrmotion.vm.checkpoint;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.crtrmotion.vm.loader.BootImage;
import org.crtrmotion.vm.loader.ElfImage;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.state.StateDigest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark figure: pause and size of a checkpoint of a 256 MiB guest (no timing asserts). */
class LargeGuestCheckpointTest {
  private static final long BASE = MachineConfig.RAM_BASE;
  private static final long RAM_BYTES = 256L << 20;

  /** A guest that stores a counter to one page per iteration across the whole of RAM. */
  private static Machine sweepingGuest() throws Exception {
    int[] words = {
      auipc(5, 0x10), // t0 = first page past the code
      lui(7, 1), // t2 = 4096
      addi(6, 6, 1),
      sd(6, 5, 0),
      add(5, 5, 7),
      bltu(5, 28, -12), // while t0 < t3 (set below: the end of RAM)
      jal(0, -24)
    };
    ByteBuffer b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int w : words) {
      b.putInt(w);
    }
    ElfImage image =
        new ElfImage(
            BASE, List.of(new BootImage.Segment(BASE, BASE, b.array(), 0x1000, true)), Map.of());
    Machine m = Machine.boot(MachineConfig.defaults().withRamBytes(RAM_BYTES), image, x -> {});
    m.board().hart.setX(28, BASE + RAM_BYTES - (1 << 20)); // leave the device tree alone
    return m;
  }

  /** Every page holds data: the worst case for size, and the sharing costs the same anyway. */
  private static void fillEveryPage(GuestMemory ram) {
    byte[] page = new byte[GuestMemory.PAGE_SIZE];
    for (int i = 0; i < ram.pageCount() - 256; i++) {
      Arrays.fill(page, (byte) (i | 1));
      ram.write(ram.base() + (long) i * GuestMemory.PAGE_SIZE, page, 0, page.length);
    }
  }

  @Test
  void checkpointOfA256MiBGuestPausesForMicrosecondsAndRestoresFromAFile(@TempDir Path dir)
      throws Exception {
    Machine m = sweepingGuest();
    fillEveryPage(m.board().ram);
    m.run(2_000_000); // warm: TLBs full of write translations
    long[] pauses = new long[7];
    for (int i = 0; i < pauses.length; i++) {
      m.run(m.instructionsRetired() + 100_000);
      long start = System.nanoTime();
      Checkpoint c = m.checkpoint();
      pauses[i] = System.nanoTime() - start;
      c.close();
    }
    Arrays.sort(pauses);
    m.run(m.instructionsRetired() + 100_000);
    StateDigest atCheckpoint = m.board().digest();
    Path file = dir.resolve("guest.ckpt");
    try (Checkpoint c = m.checkpoint()) {
      long start = System.nanoTime();
      CheckpointWriter.Written w;
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
        w = CheckpointWriter.write(c, out);
      }
      long writeNanos = System.nanoTime() - start;
      m.run(m.instructionsRetired() + 1_000_000); // the source runs on after the stream went out
      start = System.nanoTime();
      Machine restored;
      try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
        restored = CheckpointReader.restore(in, null, x -> {});
      }
      long readNanos = System.nanoTime() - start;
      assertEquals(atCheckpoint, restored.board().digest());
      assertEquals(Files.size(file), w.bytes());
      System.out.printf(
          "256 MiB guest, %d non-zero pages: checkpoint pause min %.1f us, median %.1f us,"
              + " max %.1f us; stream %d bytes (%.1f MiB) written in %.0f ms, restored in %.0f"
              + " ms%n",
          w.pages(),
          pauses[0] / 1e3,
          pauses[pauses.length / 2] / 1e3,
          pauses[pauses.length - 1] / 1e3,
          w.bytes(),
          w.bytes() / 1048576.0,
          writeNanos / 1e6,
          readNanos / 1e6);
    }
  }
}
