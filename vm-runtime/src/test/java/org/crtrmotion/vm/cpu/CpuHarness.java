package org.crtrmotion.vm.cpu;

import org.crtrmotion.vm.board.PowerControl;
import org.crtrmotion.vm.board.VirtBoard;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.time.TimeMode;

/**
 * A virt board with a program placed at the start of RAM, stepped an exact number of instructions
 * at a time, for instruction-level tests. The trap vector points at {@link #TRAP_VECTOR}, so a test
 * sees a trap as {@code pc == TRAP_VECTOR} and reads mcause, mepc, mtval.
 */
public final class CpuHarness {
  public static final long RAM_BASE = 0x8000_0000L;
  public static final long CODE = RAM_BASE;
  public static final long TRAP_VECTOR = RAM_BASE + 0x10_0000;
  public static final long DATA = RAM_BASE + 0x20_0000;

  /** Where stvec points; like the M vector it holds self-loops, so a trap parks the hart there. */
  public static final long S_TRAP_VECTOR = RAM_BASE + 0x18_0000;

  public final VirtBoard board;
  public final Hart hart;
  public final StringBuilder console = new StringBuilder();
  public Integer powerOffCode;

  public CpuHarness() {
    this(16L << 20);
  }

  public CpuHarness(long ramBytes) {
    board =
        new VirtBoard(
            RAM_BASE,
            ramBytes,
            TimeMode.VIRTUAL,
            10,
            b -> console.append((char) b),
            new PowerControl() {
              @Override
              public void powerOff(int exitCode) {
                powerOffCode = exitCode;
                board.interpreter.requestStop();
              }

              @Override
              public void reset() {}

              @Override
              public void unsupported(String reason) {}
            });
    hart = board.hart;
    hart.setPc(CODE);
    // Zeroed RAM at a vector is an illegal instruction, which would trap to itself forever
    // without retiring anything: park the hart in a loop instead, one per vectored slot.
    for (int slot = 0; slot < 16; slot++) {
      place(TRAP_VECTOR + 4 * slot, Asm.jal(0, 0));
      place(S_TRAP_VECTOR + 4 * slot, Asm.jal(0, 0));
    }
    hart.mtvec = TRAP_VECTOR;
    hart.stvec = S_TRAP_VECTOR;
    hart.mstatus |= Hart.MSTATUS_FS; // F and D usable unless a test says otherwise
  }

  /** Writes instruction words at {@link #CODE} and onwards; returns this. */
  public CpuHarness program(int... words) {
    return place(CODE, words);
  }

  /** Writes 32-bit words at an address. */
  public CpuHarness place(long address, int... words) {
    for (int i = 0; i < words.length; i++) {
      board.ram.write(address + 4L * i, le32(words[i]), 0, 4);
    }
    return this;
  }

  /** Writes 16-bit parcels (compressed instructions) at an address. */
  public CpuHarness placeHalves(long address, int... halves) {
    for (int i = 0; i < halves.length; i++) {
      byte[] b = {(byte) halves[i], (byte) (halves[i] >>> 8)};
      board.ram.write(address + 2L * i, b, 0, 2);
    }
    return this;
  }

  private static byte[] le32(int w) {
    return new byte[] {(byte) w, (byte) (w >>> 8), (byte) (w >>> 16), (byte) (w >>> 24)};
  }

  /** Places the words at {@link #CODE} and executes that many instructions. */
  public CpuHarness run(int... words) {
    program(words);
    step(words.length);
    return this;
  }

  /** Switches privilege the way a trap return would, dropping cached translations. */
  public CpuHarness enter(int priv) {
    hart.priv = priv;
    hart.translationChanged();
    return this;
  }

  /** Executes exactly {@code n} more instructions (fewer if the machine stops). */
  public int step(long n) {
    return board.interpreter.run(hart.instret() + n);
  }

  public long x(int i) {
    return hart.x(i);
  }

  public CpuHarness x(int i, long value) {
    hart.setX(i, value);
    return this;
  }

  public long f(int i) {
    return hart.f(i);
  }

  public CpuHarness f(int i, long bits) {
    hart.setF(i, bits);
    return this;
  }

  public long csr(int csr) {
    return hart.csrs().peek(csr);
  }

  public long readLong(long address) {
    return board.ram.readLong(address);
  }

  public CpuHarness writeLong(long address, long value) {
    board.ram.writeLong(address, value);
    return this;
  }

  public GuestMemory ram() {
    return board.ram;
  }

  /** Whether the last step ended in the trap vector with this mcause. */
  public boolean trapped(long mcause) {
    return hart.pc() == TRAP_VECTOR && hart.mcause == mcause && hart.priv == Hart.PRIV_M;
  }

  /** Whether the last step ended in the supervisor trap vector with this scause. */
  public boolean trappedToS(long scause) {
    return hart.pc() == S_TRAP_VECTOR && hart.scause == scause && hart.priv == Hart.PRIV_S;
  }
}
