package org.crtrmotion.vm.board;

import org.crtrmotion.vm.bus.MmioDevice;
import org.crtrmotion.vm.checkpoint.proto.ClintState;
import org.crtrmotion.vm.cpu.Causes;
import org.crtrmotion.vm.cpu.InterruptLines;
import org.crtrmotion.vm.cpu.Timer;
import org.crtrmotion.vm.state.Digestible;
import org.crtrmotion.vm.state.StateHasher;
import org.crtrmotion.vm.time.GuestClock;

/**
 * The core-local interruptor of one hart: msip, mtimecmp and mtime (SiFive CLINT layout), with the
 * accesses QEMU's virt board takes (hw/intc/riscv_aclint.c): msip 32-bit only, mtimecmp and mtime
 * 64-bit or as 32-bit halves (low at +0, high at +4), and nothing past the timer's 0x8000 bytes.
 */
public final class Clint implements MmioDevice, Timer, Digestible {
  public static final long BASE = 0x0200_0000L;
  static final int MSIP = 0x0;
  static final int MTIMECMP = 0x4000;
  static final int MTIME = 0xbff8;
  static final int MSWI_END = 0x4000; // QEMU's MSWI: 0x4000 bytes of 32-bit msip registers
  static final int MTIMER_END = 0xc000; // QEMU's MTIMER: 0x8000 bytes from 0x4000; then nothing

  private final GuestClock clock;
  private final InterruptLines hart;
  private boolean msip; // machine software interrupt pending
  private long mtimecmp = -1; // reset value: all ones, no deadline
  private boolean mtip; // the timer line as last driven

  public Clint(GuestClock clock, InterruptLines hart) {
    this.clock = clock;
    this.hart = hart;
  }

  @Override
  public String name() {
    return "clint";
  }

  @Override
  public long size() {
    return 0x10000;
  }

  @Override
  public boolean accepts(long offset, int width) {
    if (offset < MSWI_END) {
      return width == 4;
    }
    return offset < MTIMER_END && (width == 4 || width == 8);
  }

  @Override
  public long read(long offset, int width) {
    if (offset >= MSIP && offset < MSIP + 4) {
      return msip ? 1 : 0;
    }
    if (offset >= MTIMECMP && offset < MTIMECMP + 8) {
      return slice(mtimecmp, offset - MTIMECMP, width);
    }
    if (offset >= MTIME && offset < MTIME + 8) {
      return slice(clock.read(), offset - MTIME, width);
    }
    return 0;
  }

  @Override
  public void write(long offset, int width, long value) {
    if (offset == MSIP) {
      msip = (value & 1) != 0;
      hart.setLine(Causes.IRQ_M_SOFT, msip);
    } else if (offset >= MTIMECMP && offset < MTIMECMP + 8) {
      mtimecmp = merge(mtimecmp, offset - MTIMECMP, width, value);
      drive(true);
    } else if (offset >= MTIME && offset < MTIME + 8) {
      // The half a 32-bit write keeps is the current time: a guest read of the clock, so in host
      // time an input (recorded, and replayed) like any other.
      long current = width == 8 ? 0 : clock.read();
      clock.set(merge(current, offset - MTIME, width, value));
      drive(true);
    }
  }

  /** 32-bit accesses reach either half of a 64-bit register. */
  private static long slice(long register, long offset, int width) {
    if (width == 8) {
      return register;
    }
    return offset == 0 ? register & 0xffffffffL : register >>> 32;
  }

  private static long merge(long register, long offset, int width, long value) {
    if (width == 8) {
      return value;
    }
    return offset == 0
        ? (register & 0xffffffff00000000L) | (value & 0xffffffffL)
        : (register & 0xffffffffL) | (value << 32);
  }

  public long mtimecmp() {
    return mtimecmp;
  }

  @Override
  public void sync() {
    drive(false);
  }

  private void drive(boolean duringInstruction) {
    mtip = clock.reached(mtimecmp, duringInstruction);
    hart.setLine(Causes.IRQ_M_TIMER, mtip);
  }

  @Override
  public long instructionsUntilChange() {
    return clock.instructionsUntilTimerChange(mtimecmp, mtip);
  }

  /** msip and mtimecmp; mtime belongs to the clock, which the inputs drive. */
  @Override
  public void digestInto(StateHasher h) {
    h.section("clint").putBoolean(msip).putLong(mtimecmp);
  }

  public ClintState save() {
    return ClintState.newBuilder().setMsip(msip).setMtimecmp(mtimecmp).build();
  }

  /** Sets the registers without touching the hart's lines: the hart's own state carries them. */
  public void restore(ClintState s) {
    msip = s.getMsip();
    mtimecmp = s.getMtimecmp();
  }
}
