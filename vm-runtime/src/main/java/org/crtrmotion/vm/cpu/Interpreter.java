package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Op.*;

import org.crtrmotion.vm.memory.LittleEndian;

/**
 * Executes instructions on a {@link Hart}: a loop over decoded instruction slots of one code page
 * at a time, with registers in an array and pc and the instruction count in locals.
 *
 * <p>The loop leaves its page on a jump off the page, a trap, or when the instruction count reaches
 * {@code hart.nextCheck}: the one place where interrupts, the instruction budget and stop requests
 * are looked at. Everything that could change what must happen next (CSR writes, device interrupt
 * lines, code writes) lowers {@code nextCheck} so that the loop looks at once. Every instruction
 * therefore starts at an exact, reproducible instruction count.
 *
 * <p>The dispatch method stays below HotSpot's 8000-byte limit for compiling huge methods: rare
 * instructions go to {@link #system}, {@link #atomic} and {@link FpExecutor}.
 */
public final class Interpreter {
  /** Why {@link #run} returned. */
  public static final int EXIT_BUDGET = 1, EXIT_WFI = 2, EXIT_STOP = 3, EXIT_STUCK = 4;

  /** {@link #run} returned for a pause: the caller may run again as if the budget ended here. */
  public static final int EXIT_PAUSE = 5;

  /** Longest stretch without a look at stop requests and the host clock. */
  private static final long MAX_SLICE = 1 << 20;

  private final Hart h;
  private final Mmu mmu;
  private final Timer timer;
  private final FpExecutor fpu;
  private long budgetEnd;
  private int pendingExit;
  private volatile boolean stopRequested;
  private volatile boolean pauseRequested;
  private long lastTrapInstret = -1; // the instruction count at the last exception
  private int trapsInPlace; // exceptions in a row that returned to the pc that raised them
  private String stuckReason;
  private Runnable betweenInstructions = () -> {};

  public Interpreter(Hart hart, Mmu mmu, Timer timer) {
    this.h = hart;
    this.mmu = mmu;
    this.timer = timer;
    this.fpu = new FpExecutor(hart, mmu);
  }

  /** Runs at every look-around point between instructions: where external input enters. */
  public void setBetweenInstructions(Runnable action) {
    this.betweenInstructions = action;
  }

  /** Asks a running {@link #run} to return {@link #EXIT_STOP} soon; callable from any thread. */
  public void requestStop() {
    stopRequested = true;
    h.requestCheck();
  }

  /**
   * Asks a running {@link #run} to return {@link #EXIT_PAUSE} at its next instruction boundary;
   * callable from any thread. Unlike a stop it is used up by the run it ends: a pause asked for
   * between runs ends the next run before its first instruction (so no request is ever lost to a
   * race with the start of a run). It rides on {@code requestCheck}, costing the hot loop nothing.
   */
  public void requestPause() {
    pauseRequested = true;
    h.requestCheck();
  }

  /** Whether a pause is asked for and not yet used up. */
  public boolean pausePending() {
    return pauseRequested;
  }

  /** Uses up a pending pause; returns whether there was one. */
  public boolean takePause() {
    if (!pauseRequested) {
      return false;
    }
    pauseRequested = false;
    return true;
  }

  public void clearStop() {
    stopRequested = false;
  }

  /**
   * Runs until the instruction count reaches {@code endInstret}, a WFI finds nothing to wake it, or
   * a stop is requested. Guest faults become guest traps; nothing the guest does throws.
   */
  public int run(long endInstret) {
    budgetEnd = endInstret;
    h.requestCheck();
    while (true) {
      if (h.instret >= h.nextCheck) {
        int exit = service();
        if (exit != 0) {
          return exit;
        }
      }
      executePage();
    }
  }

  /**
   * Executes instructions from the code page holding pc until control leaves the page or the
   * instruction count reaches {@code nextCheck}; leaves pc and instret in the hart. Being called
   * for every page visit, this is the method HotSpot compiles with a full profile.
   */
  private void executePage() {
    final long[] x = h.x;
    final long[] f = h.f;
    final long[] readTag = mmu.readTag;
    final byte[][] readPage = mmu.readPage;
    final long[] writeTag = mmu.writeTag;
    final byte[][] writePage = mmu.writePage;
    long pc = h.pc;
    long instret = h.instret;
    try {
      final DecodedPage dp = mmu.fetchPage(pc);
      final long[] slots = dp.slots;
      final long pageBase = pc & ~0xfffL;
      do {
        long d = slots[((int) pc & 0xfff) >>> 1];
        if (d == 0) {
          d = mmu.decodeAt(dp, pc);
          if ((d & 0xff) == CROSS_PAGE) {
            d = mmu.decodeCrossPage(pc);
          }
        }
        final int w = (int) d;
        final int imm = (int) (d >> 32);
        final int rd = (w >>> 8) & 63;
        final int rs1 = (w >>> 14) & 31;
        final int rs2 = (w >>> 19) & 31;
        long next = pc + 4 - ((w >>> 23) & 2);
        switch (w & 0xff) {
          case LUI:
            x[rd] = imm;
            break;
          case AUIPC:
            x[rd] = pc + imm;
            break;
          case JAL:
            x[rd] = next;
            next = pc + imm;
            break;
          case JALR:
            {
              long t = (x[rs1] + imm) & ~1L;
              x[rd] = next;
              next = t;
              break;
            }
          case BEQ:
            if (x[rs1] == x[rs2]) next = pc + imm;
            break;
          case BNE:
            if (x[rs1] != x[rs2]) next = pc + imm;
            break;
          case BLT:
            if (x[rs1] < x[rs2]) next = pc + imm;
            break;
          case BGE:
            if (x[rs1] >= x[rs2]) next = pc + imm;
            break;
          case BLTU:
            if (x[rs1] + Long.MIN_VALUE < x[rs2] + Long.MIN_VALUE) next = pc + imm;
            break;
          case BGEU:
            if (x[rs1] + Long.MIN_VALUE >= x[rs2] + Long.MIN_VALUE) next = pc + imm;
            break;
          case LB:
          case LBU:
            {
              long va = x[rs1] + imm;
              int s = (int) (va >>> 12) & Mmu.TLB_MASK;
              long v =
                  readTag[s] == va >>> 12 ? readPage[s][(int) va & 0xfff] : load(instret, va, 1);
              x[rd] = (w & 0xff) == LB ? (byte) v : v & 0xff;
              break;
            }
          case LH:
          case LHU:
            {
              long va = x[rs1] + imm;
              int s = (int) (va >>> 12) & Mmu.TLB_MASK;
              int o = (int) va & 0xfff;
              long v =
                  readTag[s] == va >>> 12 && o <= 0xffe
                      ? LittleEndian.getShort(readPage[s], o)
                      : load(instret, va, 2);
              x[rd] = (w & 0xff) == LH ? (short) v : v & 0xffff;
              break;
            }
          case LW:
          case LWU:
            {
              long va = x[rs1] + imm;
              int s = (int) (va >>> 12) & Mmu.TLB_MASK;
              int o = (int) va & 0xfff;
              long v =
                  readTag[s] == va >>> 12 && o <= 0xffc
                      ? LittleEndian.getInt(readPage[s], o)
                      : load(instret, va, 4);
              x[rd] = (w & 0xff) == LW ? (int) v : v & 0xffffffffL;
              break;
            }
          case LD:
            {
              long va = x[rs1] + imm;
              int s = (int) (va >>> 12) & Mmu.TLB_MASK;
              int o = (int) va & 0xfff;
              x[rd] =
                  readTag[s] == va >>> 12 && o <= 0xff8
                      ? LittleEndian.getLong(readPage[s], o)
                      : load(instret, va, 8);
              break;
            }
          case SB:
            {
              long va = x[rs1] + imm;
              int s = (int) (va >>> 12) & Mmu.TLB_MASK;
              if (writeTag[s] == va >>> 12) writePage[s][(int) va & 0xfff] = (byte) x[rs2];
              else store(instret, va, 1, x[rs2]);
              break;
            }
          case SH:
            {
              long va = x[rs1] + imm;
              int s = (int) (va >>> 12) & Mmu.TLB_MASK;
              int o = (int) va & 0xfff;
              if (writeTag[s] == va >>> 12 && o <= 0xffe)
                LittleEndian.putShort(writePage[s], o, (short) x[rs2]);
              else store(instret, va, 2, x[rs2]);
              break;
            }
          case SW:
            {
              long va = x[rs1] + imm;
              int s = (int) (va >>> 12) & Mmu.TLB_MASK;
              int o = (int) va & 0xfff;
              if (writeTag[s] == va >>> 12 && o <= 0xffc)
                LittleEndian.putInt(writePage[s], o, (int) x[rs2]);
              else store(instret, va, 4, x[rs2]);
              break;
            }
          case SD:
            {
              long va = x[rs1] + imm;
              int s = (int) (va >>> 12) & Mmu.TLB_MASK;
              int o = (int) va & 0xfff;
              if (writeTag[s] == va >>> 12 && o <= 0xff8)
                LittleEndian.putLong(writePage[s], o, x[rs2]);
              else store(instret, va, 8, x[rs2]);
              break;
            }
          case ADDI:
            x[rd] = x[rs1] + imm;
            break;
          case SLTI:
            x[rd] = x[rs1] < imm ? 1 : 0;
            break;
          case SLTIU:
            x[rd] = x[rs1] + Long.MIN_VALUE < (long) imm + Long.MIN_VALUE ? 1 : 0;
            break;
          case XORI:
            x[rd] = x[rs1] ^ imm;
            break;
          case ORI:
            x[rd] = x[rs1] | imm;
            break;
          case ANDI:
            x[rd] = x[rs1] & imm;
            break;
          case SLLI:
            x[rd] = x[rs1] << imm;
            break;
          case SRLI:
            x[rd] = x[rs1] >>> imm;
            break;
          case SRAI:
            x[rd] = x[rs1] >> imm;
            break;
          case ADD:
            x[rd] = x[rs1] + x[rs2];
            break;
          case SUB:
            x[rd] = x[rs1] - x[rs2];
            break;
          case SLL:
            x[rd] = x[rs1] << x[rs2];
            break;
          case SLT:
            x[rd] = x[rs1] < x[rs2] ? 1 : 0;
            break;
          case SLTU:
            x[rd] = x[rs1] + Long.MIN_VALUE < x[rs2] + Long.MIN_VALUE ? 1 : 0;
            break;
          case XOR:
            x[rd] = x[rs1] ^ x[rs2];
            break;
          case SRL:
            x[rd] = x[rs1] >>> x[rs2];
            break;
          case SRA:
            x[rd] = x[rs1] >> x[rs2];
            break;
          case OR:
            x[rd] = x[rs1] | x[rs2];
            break;
          case AND:
            x[rd] = x[rs1] & x[rs2];
            break;
          case ADDIW:
            x[rd] = (int) (x[rs1] + imm);
            break;
          case SLLIW:
            x[rd] = (int) x[rs1] << imm;
            break;
          case SRLIW:
            x[rd] = (int) x[rs1] >>> imm;
            break;
          case SRAIW:
            x[rd] = (int) x[rs1] >> imm;
            break;
          case ADDW:
            x[rd] = (int) (x[rs1] + x[rs2]);
            break;
          case SUBW:
            x[rd] = (int) (x[rs1] - x[rs2]);
            break;
          case SLLW:
            x[rd] = (int) x[rs1] << (int) x[rs2];
            break;
          case SRLW:
            x[rd] = (int) x[rs1] >>> (int) x[rs2];
            break;
          case SRAW:
            x[rd] = (int) x[rs1] >> (int) x[rs2];
            break;
          case FENCE:
            break;
          case MUL:
            x[rd] = x[rs1] * x[rs2];
            break;
          case MULW:
            x[rd] = (int) x[rs1] * (int) x[rs2];
            break;
          case MULH:
          case MULHSU:
          case MULHU:
          case DIV:
          case DIVU:
          case REM:
          case REMU:
          case DIVW:
          case DIVUW:
          case REMW:
          case REMUW:
            x[rd] = IntegerOps.mulDiv(w & 0xff, x[rs1], x[rs2]);
            break;
          case FLD:
            {
              long va = x[rs1] + imm;
              int s = (int) (va >>> 12) & Mmu.TLB_MASK;
              int o = (int) va & 0xfff;
              if (readTag[s] == va >>> 12 && o <= 0xff8 && (h.mstatus & Hart.MSTATUS_FS) != 0) {
                f[rd] = LittleEndian.getLong(readPage[s], o);
                h.mstatus |= Hart.MSTATUS_FS;
              } else {
                h.instret = instret;
                next = slow(d, pc, next);
              }
              break;
            }
          case FSD:
            {
              long va = x[rs1] + imm;
              int s = (int) (va >>> 12) & Mmu.TLB_MASK;
              int o = (int) va & 0xfff;
              if (writeTag[s] == va >>> 12 && o <= 0xff8 && (h.mstatus & Hart.MSTATUS_FS) != 0) {
                LittleEndian.putLong(writePage[s], o, f[rs2]);
              } else {
                h.instret = instret;
                next = slow(d, pc, next);
              }
              break;
            }
          default:
            h.instret = instret;
            next = slow(d, pc, next);
            break;
        }
        pc = next;
        instret++;
      } while ((pc & ~0xfffL) == pageBase && instret < h.nextCheck);
      h.pc = pc;
      h.instret = instret;
    } catch (Trap t) {
      h.pc = pc;
      h.instret = instret;
      trap(t);
    }
  }

  /** Enters the guest's trap handler, or ends the run when the hart would trap there forever. */
  private void trap(Trap t) {
    long pc = h.pc;
    // Only an illegal instruction asks for its bits: in any other tval the marker's value is a
    // genuine address (a jump or an access to 1 << 63).
    long tval =
        t.cause == Causes.ILLEGAL_INSTRUCTION && t.tval == Trap.INSTRUCTION_BITS
            ? mmu.instructionBits(pc)
            : t.tval;
    h.takeException(t.cause, tval, pc);
    // A trap that lands where it was raised, with nothing retired since the last one, leaves the
    // same state from its second time on (xPP, xPIE settle): the hart would trap there forever,
    // whether its handler cannot be fetched or its first instruction traps. A handler that faults
    // into another mode's handler lands elsewhere and is not stuck.
    trapsInPlace = h.pc == pc && h.instret == lastTrapInstret ? trapsInPlace + 1 : 0;
    lastTrapInstret = h.instret;
    if (trapsInPlace >= 2) {
      stuckReason =
          String.format(
              "the guest is stuck: its trap handler at 0x%x traps to itself before retiring an"
                  + " instruction (%s)",
              pc, t.getMessage());
      exitAfterThisInstruction(EXIT_STUCK);
    }
  }

  /** Why the last run returned {@link #EXIT_STUCK}. */
  public String stuckReason() {
    return stuckReason;
  }

  private long load(long instret, long va, int width) {
    h.instret = instret; // a device read may look at the clock
    return mmu.load(va, width);
  }

  private void store(long instret, long va, int width, long value) {
    h.instret = instret;
    mmu.store(va, width, value);
  }

  /** Looks at stop requests, the budget and interrupts; returns an exit code or 0 to go on. */
  private int service() {
    if (stopRequested) {
      return EXIT_STOP;
    }
    if (pendingExit != 0) {
      int exit = pendingExit;
      pendingExit = 0;
      return exit;
    }
    if (pauseRequested) {
      pauseRequested = false;
      return EXIT_PAUSE;
    }
    if (h.instret >= budgetEnd) {
      return EXIT_BUDGET;
    }
    betweenInstructions.run();
    timer.sync();
    h.nextCheck = Long.MAX_VALUE; // taking an interrupt may lower it again
    h.takeInterrupt();
    long slice = Math.min(MAX_SLICE, timer.instructionsUntilChange());
    long next = Math.min(budgetEnd, h.instret + Math.max(1, slice));
    h.nextCheck = Math.min(h.nextCheck, next);
    return 0;
  }

  /** Makes {@link #run} return {@code exit} after the current instruction retires. */
  void exitAfterThisInstruction(int exit) {
    pendingExit = exit;
    h.requestCheck();
  }

  /** Rare instructions: returns the next pc. */
  private long slow(long d, long pc, long next) {
    int op = (int) d & 0xff;
    if (op >= FLW) {
      fpu.execute(d);
      return next;
    }
    if (op >= LR_W && op <= AMOMAXU_D) {
      atomic(d);
      return next;
    }
    return system(d, pc, next);
  }

  private long system(long d, long pc, long next) {
    int op = Decoder.op(d);
    switch (op) {
      case ILLEGAL:
        throw new Trap(Causes.ILLEGAL_INSTRUCTION, Decoder.imm(d) & 0xffffffffL);
      case CROSS_PAGE:
        throw new IllegalStateException("cross-page marker reached dispatch");
      case FENCE_I:
        mmu.flushDecoded();
        h.requestCheck(); // the current page's decode cache is gone
        return next;
      case ECALL:
        throw new Trap(Causes.ECALL_FROM_U + h.priv, 0);
      case EBREAK:
        throw new Trap(Causes.BREAKPOINT, pc);
      case MRET:
        if (h.priv != Hart.PRIV_M) {
          throw illegal(0x30200073);
        }
        h.mret();
        return h.pc;
      case SRET:
        if (h.priv < Hart.PRIV_S
            || (h.priv == Hart.PRIV_S && (h.mstatus & Hart.MSTATUS_TSR) != 0)) {
          throw illegal(0x10200073);
        }
        h.sret();
        return h.pc;
      case WFI:
        if (h.priv == Hart.PRIV_U
            || (h.priv == Hart.PRIV_S && (h.mstatus & Hart.MSTATUS_TW) != 0)) {
          throw illegal(0x10500073);
        }
        if (!h.wfiWakeable()) {
          exitAfterThisInstruction(EXIT_WFI);
        }
        return next;
      case SFENCE_VMA:
        if (h.priv == Hart.PRIV_U
            || (h.priv == Hart.PRIV_S && (h.mstatus & Hart.MSTATUS_TVM) != 0)) {
          throw illegal(0x12000073 | Decoder.rs1(d) << 15 | Decoder.rs2(d) << 20);
        }
        mmu.flushAll();
        h.requestCheck();
        return next;
      default:
        csr(d);
        return next;
    }
  }

  private static Trap illegal(int insn) {
    return new Trap(Causes.ILLEGAL_INSTRUCTION, insn & 0xffffffffL);
  }

  private void csr(long d) {
    int op = Decoder.op(d);
    int csr = Decoder.imm(d) & 0xfff;
    int rd = Decoder.rd(d);
    int rs1 = Decoder.rs1(d);
    boolean immediate = op >= CSRRWI;
    int kind = immediate ? op - CSRRWI : op - CSRRW; // 0 write, 1 set, 2 clear
    int funct3 = (immediate ? 5 : 1) + kind;
    int insn = csr << 20 | rs1 << 15 | funct3 << 12 | (rd == Decoder.X0_SINK ? 0 : rd) << 7 | 0x73;
    long operand = immediate ? rs1 : h.x[rs1];
    CsrFile csrs = h.csrs;
    if (kind == 0) {
      csrs.checkAccess(csr, true, insn);
      long old = rd == Decoder.X0_SINK ? 0 : csrs.read(csr);
      csrs.write(csr, operand);
      h.x[rd] = old;
    } else {
      boolean writes = rs1 != 0;
      csrs.checkAccess(csr, writes, insn);
      long old = csrs.read(csr);
      if (writes) {
        long base = csrs.modifyBase(csr, old);
        csrs.write(csr, kind == 1 ? base | operand : base & ~operand);
      }
      h.x[rd] = old;
    }
  }

  private void atomic(long d) {
    int op = Decoder.op(d);
    boolean word = op <= AMOMAXU_W;
    int width = word ? 4 : 8;
    int base = word ? LR_W : LR_D;
    int kind = op - base; // 0 LR, 1 SC, 2.. AMOs in Op order
    long va = h.x[Decoder.rs1(d)];
    long src = h.x[Decoder.rs2(d)];
    int rd = Decoder.rd(d);
    if (kind == 0) {
      long pa = mmu.atomicAddress(va, width, true);
      long v = mmu.readPhysical(pa, width);
      h.reservation = va;
      h.x[rd] = word ? (int) v : v;
      return;
    }
    if (kind == 1) {
      // As QEMU does: an SC without a matching reservation fails without touching memory.
      boolean reserved = h.reservation == va;
      h.reservation = -1;
      if (!reserved) {
        h.x[rd] = 1;
        return;
      }
      long pa = mmu.atomicAddress(va, width, false);
      mmu.writePhysical(pa, width, src);
      h.x[rd] = 0;
      return;
    }
    long pa = mmu.atomicAddress(va, width, false);
    long raw = mmu.readPhysical(pa, width);
    long old = word ? (int) raw : raw;
    long b = word ? (int) src : src;
    long result = IntegerOps.amo(kind, old, b, word);
    mmu.writePhysical(pa, width, result);
    h.x[rd] = old;
  }
}
