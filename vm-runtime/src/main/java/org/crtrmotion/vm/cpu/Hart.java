package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Causes.*;

import org.crtrmotion.vm.checkpoint.proto.HartState;
import org.crtrmotion.vm.state.Digestible;
import org.crtrmotion.vm.state.StateHasher;

/**
 * The architectural state of one RV64GC hart and the trap, interrupt and privilege-change rules
 * that act on it. The interpreter ({@link Interpreter}) executes instructions against it; CSR
 * accesses go through {@link CsrFile}.
 */
public final class Hart implements InterruptLines, Digestible {
  public static final int PRIV_U = 0;
  public static final int PRIV_S = 1;
  public static final int PRIV_M = 3;

  // mstatus bits
  static final long MSTATUS_SIE = 1L << 1;
  static final long MSTATUS_MIE = 1L << 3;
  static final long MSTATUS_SPIE = 1L << 5;
  static final long MSTATUS_MPIE = 1L << 7;
  static final long MSTATUS_SPP = 1L << 8;
  static final int MSTATUS_MPP_SHIFT = 11;
  static final long MSTATUS_MPP = 3L << MSTATUS_MPP_SHIFT;
  static final int MSTATUS_FS_SHIFT = 13;
  static final long MSTATUS_FS = 3L << MSTATUS_FS_SHIFT;
  static final long MSTATUS_MPRV = 1L << 17;
  static final long MSTATUS_SUM = 1L << 18;
  static final long MSTATUS_MXR = 1L << 19;
  static final long MSTATUS_TVM = 1L << 20;
  static final long MSTATUS_TW = 1L << 21;
  static final long MSTATUS_TSR = 1L << 22;

  /** UXL = SXL = 2 (64-bit), read-only. */
  static final long MSTATUS_XLEN64 = (2L << 32) | (2L << 34);

  // interrupt-pending bits (mip/mie)
  static final long MIP_SSIP = 1L << IRQ_S_SOFT;
  static final long MIP_MSIP = 1L << IRQ_M_SOFT;
  static final long MIP_STIP = 1L << IRQ_S_TIMER;
  static final long MIP_MTIP = 1L << IRQ_M_TIMER;
  static final long MIP_SEIP = 1L << IRQ_S_EXT;
  static final long MIP_MEIP = 1L << IRQ_M_EXT;

  /** Interrupts in the order the privileged spec gives them priority. */
  private static final int[] PRIORITY = {
    IRQ_M_EXT, IRQ_M_SOFT, IRQ_M_TIMER, IRQ_S_EXT, IRQ_S_SOFT, IRQ_S_TIMER
  };

  final long[] x = new long[33]; // x0..x31, and slot 32 which absorbs writes to x0
  final long[] f = new long[32]; // f0..f31, single precision NaN-boxed
  long pc; // address of the next instruction
  long instret; // instructions retired since reset: the machine's logical clock
  int priv = PRIV_M; // current privilege mode

  long mstatus = MSTATUS_XLEN64; // without SD, which is derived from FS
  int fflags; // accrued FP exception flags
  int frm; // dynamic rounding mode
  long mtvec; // machine trap vector (mode in bits 1:0)
  long stvec; // supervisor trap vector
  long mepc; // machine exception PC
  long sepc; // supervisor exception PC
  long mcause; // machine trap cause
  long scause; // supervisor trap cause
  long mtval; // machine trap value
  long stval; // supervisor trap value
  long mscratch; // machine scratch
  long sscratch; // supervisor scratch
  long medeleg; // exceptions delegated to S
  long mideleg; // interrupts delegated to S
  long mie; // interrupt enables
  long mipSoftware; // SSIP, STIP, SEIP as written by software
  long mipLines; // MSIP, MTIP, MEIP, SEIP as driven by the CLINT and the PLIC
  int mcounteren; // counters visible to S
  int scounteren; // counters visible to U
  long satp; // address translation mode, ASID, root page table
  long reservation = -1; // LR reservation address, -1 when none

  /**
   * Traps taken since reset. A trap changes the pc without retiring an instruction, so an input
   * delivered between instructions is placed by (instret, traps): the same instruction count before
   * and after a page fault are two different moments.
   */
  long traps;

  /**
   * Instruction count at which the interpreter must stop and look around (see {@link Interpreter}).
   */
  long nextCheck;

  final CsrFile csrs = new CsrFile(this);
  private Runnable translationChanged = () -> {};
  private Runnable privilegeChanged = () -> {};

  public Hart() {
    reset(0);
  }

  /** Resets to the state the boot ROM jumps from: M-mode, everything disabled. */
  public void reset(long resetPc) {
    java.util.Arrays.fill(x, 0);
    java.util.Arrays.fill(f, 0);
    pc = resetPc;
    instret = 0;
    priv = PRIV_M;
    mstatus = MSTATUS_XLEN64;
    fflags = frm = 0;
    mtvec = stvec = mepc = sepc = mcause = scause = mtval = stval = mscratch = sscratch = 0;
    medeleg = mideleg = mie = mipSoftware = 0;
    mcounteren = scounteren = 0;
    satp = 0;
    reservation = -1;
    traps = 0;
    nextCheck = 0;
  }

  /** Called when anything that cached translations depend on changes. */
  void onTranslationChange(Runnable flush, Runnable reselect) {
    this.translationChanged = flush;
    this.privilegeChanged = reselect;
  }

  /** Cached translations are stale; the interpreter must also re-fetch its current page. */
  void translationChanged() {
    translationChanged.run();
    requestCheck();
  }

  /**
   * The privilege, or what decides the permissions of loads and stores (MPRV, MPP, SUM, MXR),
   * changed: other cached translations apply, and the interpreter must pick them up.
   */
  void privilegeChanged() {
    privilegeChanged.run();
    requestCheck();
  }

  public CsrFile csrs() {
    return csrs;
  }

  public long pc() {
    return pc;
  }

  public void setPc(long pc) {
    this.pc = pc;
  }

  public long instret() {
    return instret;
  }

  /** Traps taken since reset (see {@link #traps}). */
  public long traps() {
    return traps;
  }

  public int privilege() {
    return priv;
  }

  public long x(int i) {
    return i == 0 ? 0 : x[i];
  }

  public void setX(int i, long value) {
    if (i != 0) {
      x[i] = value;
    }
  }

  public long f(int i) {
    return f[i];
  }

  public void setF(int i, long value) {
    f[i] = value;
  }

  public long mip() {
    return mipSoftware | mipLines;
  }

  @Override
  public void setLine(int irq, boolean level) {
    long bit = 1L << irq;
    long before = mipLines;
    mipLines = level ? mipLines | bit : mipLines & ~bit;
    if (mipLines != before) {
      requestCheck();
    }
  }

  /** Makes the interpreter stop after the current instruction and re-examine interrupts. */
  public void requestCheck() {
    nextCheck = 0;
  }

  boolean fpEnabled() {
    return (mstatus & MSTATUS_FS) != 0;
  }

  void markFpDirty() {
    mstatus |= MSTATUS_FS;
  }

  /** Effective privilege of loads and stores (MPRV makes M-mode accesses act as MPP). */
  int dataPrivilege() {
    if (priv == PRIV_M && (mstatus & MSTATUS_MPRV) != 0) {
      return (int) ((mstatus & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT);
    }
    return priv;
  }

  /** Enters the trap handler for a synchronous exception at {@code epc}. */
  void takeException(int cause, long tval, long epc) {
    enterTrap(cause, cause, tval, epc, false);
  }

  /**
   * Takes the highest-priority interrupt that is pending, enabled and not masked at the current
   * privilege; returns whether one was taken.
   */
  boolean takeInterrupt() {
    long pending = mip() & mie;
    if (pending == 0) {
      return false;
    }
    boolean mEnabled = priv < PRIV_M || (mstatus & MSTATUS_MIE) != 0;
    boolean sEnabled = priv < PRIV_S || (priv == PRIV_S && (mstatus & MSTATUS_SIE) != 0);
    long toM = mEnabled ? pending & ~mideleg : 0;
    long toS = sEnabled ? pending & mideleg : 0;
    long takeable = toM != 0 ? toM : toS;
    if (takeable == 0) {
      return false;
    }
    for (int irq : PRIORITY) {
      if ((takeable & (1L << irq)) != 0) {
        enterTrap(INTERRUPT_BIT | irq, irq, 0, pc, true);
        return true;
      }
    }
    return false;
  }

  /** Whether an interrupt is pending and enabled in mie, which is what wakes WFI. */
  public boolean wfiWakeable() {
    return (mip() & mie) != 0;
  }

  private void enterTrap(long causeValue, int code, long tval, long epc, boolean interrupt) {
    traps++;
    long deleg = interrupt ? mideleg : medeleg;
    reservation = -1;
    int from = priv;
    if (priv <= PRIV_S && ((deleg >>> code) & 1) != 0) {
      scause = causeValue;
      sepc = epc;
      stval = tval;
      long s = mstatus & ~(MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SIE);
      if ((mstatus & MSTATUS_SIE) != 0) {
        s |= MSTATUS_SPIE;
      }
      if (from == PRIV_S) {
        s |= MSTATUS_SPP;
      }
      mstatus = s;
      priv = PRIV_S;
      pc = vector(stvec, code, interrupt);
    } else {
      mcause = causeValue;
      mepc = epc;
      mtval = tval;
      long m = mstatus & ~(MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MIE);
      if ((mstatus & MSTATUS_MIE) != 0) {
        m |= MSTATUS_MPIE;
      }
      m |= (long) from << MSTATUS_MPP_SHIFT;
      mstatus = m;
      priv = PRIV_M;
      pc = vector(mtvec, code, interrupt);
    }
    privilegeChanged();
    requestCheck();
  }

  private static long vector(long tvec, int code, boolean interrupt) {
    long base = tvec & ~3L;
    return interrupt && (tvec & 3) == 1 ? base + 4L * code : base;
  }

  /** MRET: returns to the privilege in MPP. The caller has checked that priv is M. */
  void mret() {
    int to = (int) ((mstatus & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT);
    long m = mstatus & ~(MSTATUS_MIE | MSTATUS_MPP);
    if ((mstatus & MSTATUS_MPIE) != 0) {
      m |= MSTATUS_MIE;
    }
    m |= MSTATUS_MPIE;
    if (to != PRIV_M) {
      m &= ~MSTATUS_MPRV;
    }
    mstatus = m;
    priv = to;
    pc = mepc;
    reservation = -1;
    privilegeChanged();
    requestCheck();
  }

  /** SRET: returns to the privilege in SPP. The caller has checked the privilege and TSR. */
  void sret() {
    int to = (mstatus & MSTATUS_SPP) != 0 ? PRIV_S : PRIV_U;
    long s = mstatus & ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPRV);
    if ((mstatus & MSTATUS_SPIE) != 0) {
      s |= MSTATUS_SIE;
    }
    s |= MSTATUS_SPIE;
    mstatus = s;
    priv = to;
    pc = sepc;
    reservation = -1;
    privilegeChanged();
    requestCheck();
  }

  /** Registers, pc, the instruction count, privilege, every CSR's state and the reservation. */
  @Override
  public void digestInto(StateHasher h) {
    h.section("hart");
    for (int i = 0; i < 32; i++) {
      h.putLong(x[i]);
    }
    h.putLongs(f).putLong(pc).putLong(instret).putInt(priv);
    h.putLong(mstatus).putInt(fflags).putInt(frm);
    h.putLong(mtvec).putLong(stvec).putLong(mepc).putLong(sepc);
    h.putLong(mcause).putLong(scause).putLong(mtval).putLong(stval);
    h.putLong(mscratch).putLong(sscratch).putLong(medeleg).putLong(mideleg);
    h.putLong(mie).putLong(mipSoftware).putLong(mipLines);
    h.putInt(mcounteren).putInt(scounteren).putLong(satp).putLong(reservation);
  }

  /** Everything {@link #digestInto} covers; translation caches are not state and are not saved. */
  public HartState save() {
    HartState.Builder s = HartState.newBuilder();
    for (int i = 0; i < 32; i++) {
      s.addX(x[i]);
      s.addF(f[i]);
    }
    return s.setPc(pc)
        .setInstret(instret)
        .setPriv(priv)
        .setMstatus(mstatus)
        .setFflags(fflags)
        .setFrm(frm)
        .setMtvec(mtvec)
        .setStvec(stvec)
        .setMepc(mepc)
        .setSepc(sepc)
        .setMcause(mcause)
        .setScause(scause)
        .setMtval(mtval)
        .setStval(stval)
        .setMscratch(mscratch)
        .setSscratch(sscratch)
        .setMedeleg(medeleg)
        .setMideleg(mideleg)
        .setMie(mie)
        .setMipSoftware(mipSoftware)
        .setMipLines(mipLines)
        .setMcounteren(mcounteren)
        .setScounteren(scounteren)
        .setSatp(satp)
        .setReservation(reservation)
        .setTraps(traps)
        .build();
  }

  /**
   * Takes over a saved state; every cached translation is dropped, since the new satp and privilege
   * invalidate them. Throws IllegalArgumentException on a state no hart could be in.
   */
  public void restore(HartState s) {
    if (s.getXCount() != 32 || s.getFCount() != 32) {
      throw new IllegalArgumentException(
          "hart state has " + s.getXCount() + " x and " + s.getFCount() + " f registers, not 32");
    }
    if (s.getPriv() != PRIV_U && s.getPriv() != PRIV_S && s.getPriv() != PRIV_M) {
      throw new IllegalArgumentException("hart state has privilege " + s.getPriv());
    }
    if (s.getX(0) != 0 || s.getFrm() > 7 || s.getFflags() > 31) {
      throw new IllegalArgumentException("hart state has x0, frm or fflags out of range");
    }
    for (int i = 0; i < 32; i++) {
      x[i] = s.getX(i);
      f[i] = s.getF(i);
    }
    x[32] = 0;
    pc = s.getPc();
    instret = s.getInstret();
    priv = s.getPriv();
    mstatus = s.getMstatus();
    fflags = s.getFflags();
    frm = s.getFrm();
    mtvec = s.getMtvec();
    stvec = s.getStvec();
    mepc = s.getMepc();
    sepc = s.getSepc();
    mcause = s.getMcause();
    scause = s.getScause();
    mtval = s.getMtval();
    stval = s.getStval();
    mscratch = s.getMscratch();
    sscratch = s.getSscratch();
    medeleg = s.getMedeleg();
    mideleg = s.getMideleg();
    mie = s.getMie();
    mipSoftware = s.getMipSoftware();
    mipLines = s.getMipLines();
    mcounteren = s.getMcounteren();
    scounteren = s.getScounteren();
    satp = s.getSatp();
    reservation = s.getReservation();
    traps = s.getTraps();
    translationChanged();
  }
}
