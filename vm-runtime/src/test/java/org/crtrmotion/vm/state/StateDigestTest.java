package org.crtrmotion.vm.state;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.crtrmotion.vm.cpu.CpuHarness;
import org.junit.jupiter.api.Test;

class StateDigestTest {
  private static final int T0 = 5, T1 = 6;

  /** A loop that counts in t1 and stores it to DATA: registers, memory and pc all change. */
  private static CpuHarness counting() {
    CpuHarness h = new CpuHarness();
    h.x(T0, CpuHarness.DATA);
    h.program(addi(T1, T1, 1), sd(T1, T0, 0), jal(0, -8));
    return h;
  }

  @Test
  void twoMachinesRunningTheSameCodeToTheSameCountAgree() {
    CpuHarness a = counting();
    CpuHarness b = counting();
    a.step(3000);
    b.step(1000);
    b.step(2000);
    assertEquals(a.board.digest(), b.board.digest());
  }

  @Test
  void oneMoreInstructionChangesTheDigest() {
    CpuHarness a = counting();
    CpuHarness b = counting();
    a.step(3000);
    b.step(3001);
    assertNotEquals(a.board.digest(), b.board.digest());
  }

  @Test
  void aSingleBitOfMemoryChangesTheDigest() {
    CpuHarness a = counting();
    CpuHarness b = counting();
    b.writeLong(CpuHarness.DATA + 0x800, 1L << 40);
    assertNotEquals(a.board.digest(), b.board.digest());
  }

  @Test
  void aCsrChangesTheDigest() {
    CpuHarness a = counting();
    CpuHarness b = counting();
    b.program(csrrwi(0, 0x340, 1)); // mscratch = 1
    b.step(1);
    a.program(csrrwi(0, 0x340, 0));
    a.step(1);
    assertNotEquals(a.board.digest(), b.board.digest());
  }

  @Test
  void aTouchedPageOfZerosHashesLikeAnUntouchedOne() {
    CpuHarness a = counting();
    CpuHarness b = counting();
    b.ram().page(b.ram().pageCount() - 1); // allocate, still zero
    assertEquals(a.board.digest(), b.board.digest());
  }

  @Test
  void digestPrintsAndParsesAs32HexDigits() {
    StateDigest d = new StateDigest(0x0123456789abcdefL, 0xfedcba9876543210L);
    assertEquals("0123456789abcdeffedcba9876543210", d.toString());
    assertEquals(d, StateDigest.parse(d.toString()));
    assertThrows(IllegalArgumentException.class, () -> StateDigest.parse("abc"));
  }

  @Test
  void digestOfA256MiBGuestWithEveryPageWritten() {
    CpuHarness h = new CpuHarness(256L << 20);
    byte[] page = new byte[4096];
    for (int i = 0; i < h.ram().pageCount(); i++) {
      page[i % 4096] = (byte) (i | 1);
      h.ram().write(CpuHarness.RAM_BASE + 4096L * i, page, 0, 4096);
    }
    long start = System.nanoTime();
    StateDigest d = h.board.digest();
    System.out.printf(
        "digest of 256 MiB, every page non-zero: %s in %.1f ms%n",
        d, (System.nanoTime() - start) / 1e6);
    assertEquals(d, h.board.digest());
  }
}
