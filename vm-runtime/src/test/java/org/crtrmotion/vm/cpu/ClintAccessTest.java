package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.crtrmotion.vm.board.Clint;
import org.crtrmotion.vm.bus.MmioBus;
import org.crtrmotion.vm.input.InputObserver;
import org.crtrmotion.vm.input.ListFeed;
import org.crtrmotion.vm.input.TraceClock;
import org.crtrmotion.vm.time.HostClock;
import org.crtrmotion.vm.trace.InputEvent;
import org.junit.jupiter.api.Test;

/**
 * The CLINT's registers as QEMU's virt board (hw/intc/riscv_aclint.c) serves them: mtimecmp and
 * mtime as a 64-bit register or two 32-bit halves (lo at +0, hi at +4), msip 32-bit only, nothing
 * past the timer's 0x8000 bytes at 0x4000.
 */
class ClintAccessTest {
  private static final int MTIME_OFFSET = 0xbff8;
  private static final long MSIP = Clint.BASE;
  private static final long MTIMECMP = Clint.BASE + 0x4000;
  private static final long MTIME = Clint.BASE + MTIME_OFFSET;

  private final CpuHarness h = new CpuHarness();
  private final MmioBus bus = h.board.bus;

  @Test
  void mtimecmpWrittenAsTwo32BitHalvesHoldsBoth() {
    bus.write(MTIMECMP, 4, 0x89ab_cdefL);
    bus.write(MTIMECMP + 4, 4, 0x0123_4567L);
    assertEquals(0x0123_4567_89ab_cdefL, h.board.clint.mtimecmp());
    assertEquals(0x0123_4567_89ab_cdefL, bus.read(MTIMECMP, 8));
  }

  @Test
  void writingOneHalfOfMtimecmpKeepsTheOther() {
    bus.write(MTIMECMP, 8, 0x1111_2222_3333_4444L);
    bus.write(MTIMECMP + 4, 4, 0xaaaa_bbbbL);
    assertEquals(0xaaaa_bbbb_3333_4444L, h.board.clint.mtimecmp());
    bus.write(MTIMECMP, 4, 0xcccc_ddddL);
    assertEquals(0xaaaa_bbbb_cccc_ddddL, h.board.clint.mtimecmp());
  }

  @Test
  void the32BitHalvesOfMtimecmpReadZeroExtended() {
    bus.write(MTIMECMP, 8, 0xfedc_ba98_7654_3210L);
    assertEquals(0x7654_3210L, bus.read(MTIMECMP, 4));
    assertEquals(0xfedc_ba98L, bus.read(MTIMECMP + 4, 4));
  }

  @Test
  void lwOfTheHighHalfSignExtendsAndLwuDoesNot() {
    bus.write(MTIMECMP, 8, 0xfedc_ba98_0000_0001L);
    h.x(5, MTIMECMP).program(lw(6, 5, 4), lwu(7, 5, 4), lw(8, 5, 0));
    h.step(3);
    assertEquals(0xffff_ffff_fedc_ba98L, h.x(6));
    assertEquals(0xfedc_ba98L, h.x(7));
    assertEquals(1, h.x(8));
  }

  /**
   * The RV32 sequence (Linux's and OpenSBI's for a 32-bit hart): high half to all ones so no
   * spurious deadline passes while the halves disagree, then low, then high. The timer then fires
   * at the exact instruction count of the deadline: 100 ticks, 1000 instructions at ten per tick.
   */
  @Test
  void aDeadlineWrittenInHalvesFiresAtItsExactInstruction() {
    h.hart.mstatus |= Hart.MSTATUS_MIE;
    h.hart.mie = Hart.MIP_MTIP;
    h.place(CpuHarness.TRAP_VECTOR, csrrs(7, CsrFile.MINSTRET, 0), jal(0, 0));
    h.x(5, MTIMECMP)
        .program(
            addi(6, 0, -1),
            sw(6, 5, 4), // hi = all ones
            addi(6, 0, 100),
            sw(6, 5, 0), // lo = 100
            sw(0, 5, 4), // hi = 0
            jal(0, 0));
    h.step(5000);
    assertEquals(Causes.INTERRUPT_BIT | Causes.IRQ_M_TIMER, h.hart.mcause);
    assertEquals(1000, h.x(7));
  }

  @Test
  void mtimeReadsAs32BitHalves() {
    bus.write(MTIME, 8, 0x0000_0002_ffff_fff0L); // virtual time: it stands still between steps
    assertEquals(0xffff_fff0L, bus.read(MTIME, 4));
    assertEquals(2L, bus.read(MTIME + 4, 4));
  }

  @Test
  void a32BitWriteToOneHalfOfMtimeKeepsTheOtherHalfOfTheCurrentTime() {
    bus.write(MTIME, 8, 0x0000_0005_0000_0007L);
    bus.write(MTIME, 4, 0x10L);
    assertEquals(0x0000_0005_0000_0010L, h.board.clock.now());
    bus.write(MTIME + 4, 4, 0x9L);
    assertEquals(0x0000_0009_0000_0010L, h.board.clock.now());
  }

  @Test
  void msipTakesOnly32BitAccessesAsInQemu() {
    assertTrue(bus.accepts(MSIP, 4));
    assertFalse(bus.accepts(MSIP, 8), "QEMU's MSWI is 32-bit only: a 64-bit access faults");
    assertTrue(bus.accepts(MTIMECMP, 8));
    assertTrue(bus.accepts(MTIME, 8));
    assertFalse(bus.accepts(MTIMECMP, 2), "the timer takes 32- and 64-bit accesses only");
  }

  @Test
  void nothingAnswersPastTheTimerAsInQemu() {
    // QEMU maps the MSWI at +0 (0x4000 bytes) and the MTIMER at +0x4000 (0x8000 bytes).
    assertTrue(bus.accepts(Clint.BASE + 0xbffc, 4));
    assertFalse(bus.accepts(Clint.BASE + 0xc000, 4));
    assertFalse(bus.accepts(Clint.BASE + 0xfff8, 8));
  }

  @Test
  void aStoreToMsipAs64BitsIsAStoreAccessFault() {
    h.x(5, MSIP).x(6, 1).program(sd(6, 5, 0));
    h.step(1);
    assertTrue(h.trapped(Causes.STORE_ACCESS));
    assertEquals(0, h.hart.mip() & Hart.MIP_MSIP);
  }

  /**
   * In host time the half of mtime a 32-bit write keeps comes from the host clock: that read is an
   * input like any guest read of the clock, recorded, and replayed to the same time.
   */
  @Test
  void a32BitMtimeWriteInHostTimeRecordsTheTimeItKeepsAndReplaysIt() {
    List<InputEvent> recorded = new ArrayList<>();
    TraceClock live = new TraceClock(new HostClock(), () -> 7, () -> 0);
    live.record(collector(recorded));
    new Clint(live, (irq, level) -> {}).write(MTIME_OFFSET, 4, 0x1234L);
    assertEquals(1, recorded.size(), "one time read, at the write");
    assertEquals(7, recorded.get(0).instructionCount());
    long expected = (recorded.get(0).value() & 0xffff_ffff_0000_0000L) | 0x1234L;

    TraceClock replay = new TraceClock(new HostClock(), () -> 7, () -> 0);
    replay.replay(new ListFeed(recorded), false);
    new Clint(replay, (irq, level) -> {}).write(MTIME_OFFSET, 4, 0x1234L);
    assertNull(replay.divergence());
    assertEquals(expected, replay.now());
  }

  private static InputObserver collector(List<InputEvent> into) {
    return new InputObserver() {
      @Override
      public void timeRead(long instructionCount, long mtime) {
        into.add(InputEvent.timeRead(instructionCount, mtime));
      }

      @Override
      public void timerLine(
          long instructionCount, long traps, boolean raised, boolean duringInstruction) {
        into.add(InputEvent.irqLine(instructionCount, Causes.IRQ_M_TIMER, raised));
      }

      @Override
      public void consoleInput(long instructionCount, long traps, int b) {}
    };
  }
}
