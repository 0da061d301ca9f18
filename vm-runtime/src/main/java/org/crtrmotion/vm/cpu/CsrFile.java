package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Hart.*;

import org.crtrmotion.vm.time.GuestClock;

/**
 * The control and status registers: which exist, who may access them, and which bits are writable.
 * A CSR that is not implemented, or an access it does not allow, raises illegal-instruction
 * (OpenSBI and Linux probe optional CSRs that way).
 */
public final class CsrFile {
  public static final int FFLAGS = 0x001, FRM = 0x002, FCSR = 0x003;
  public static final int CYCLE = 0xc00, TIME = 0xc01, INSTRET = 0xc02;
  public static final int SSTATUS = 0x100, SIE = 0x104, STVEC = 0x105, SCOUNTEREN = 0x106;
  public static final int SSCRATCH = 0x140, SEPC = 0x141, SCAUSE = 0x142, STVAL = 0x143;
  public static final int SIP = 0x144, SATP = 0x180;
  public static final int MVENDORID = 0xf11, MARCHID = 0xf12, MIMPID = 0xf13, MHARTID = 0xf14;
  public static final int MSTATUS = 0x300, MISA = 0x301, MEDELEG = 0x302, MIDELEG = 0x303;
  public static final int MIE = 0x304, MTVEC = 0x305, MCOUNTEREN = 0x306, MCOUNTINHIBIT = 0x320;
  public static final int MSCRATCH = 0x340, MEPC = 0x341, MCAUSE = 0x342, MTVAL = 0x343;
  public static final int MIP = 0x344, MCYCLE = 0xb00, MINSTRET = 0xb02;

  /** RV64 with A, C, D, F, I, M, S, U. */
  public static final long MISA_VALUE =
      (2L << 62)
          | bit('A')
          | bit('C')
          | bit('D')
          | bit('F')
          | bit('I')
          | bit('M')
          | bit('S')
          | bit('U');

  private static final long MSTATUS_WRITABLE =
      MSTATUS_SIE
          | MSTATUS_MIE
          | MSTATUS_SPIE
          | MSTATUS_MPIE
          | MSTATUS_SPP
          | MSTATUS_MPP
          | MSTATUS_FS
          | MSTATUS_MPRV
          | MSTATUS_SUM
          | MSTATUS_MXR
          | MSTATUS_TVM
          | MSTATUS_TW
          | MSTATUS_TSR;
  private static final long SSTATUS_VISIBLE =
      MSTATUS_SIE
          | MSTATUS_SPIE
          | MSTATUS_SPP
          | MSTATUS_FS
          | MSTATUS_SUM
          | MSTATUS_MXR
          | (3L << 32)
          | (1L << 63);
  private static final long SSTATUS_WRITABLE =
      MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR;

  /** Status bits that decide which cached translations apply. */
  private static final long TRANSLATION_BITS =
      MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_MPP;

  private static final long ALL_INTERRUPTS =
      MIP_SSIP | MIP_MSIP | MIP_STIP | MIP_MTIP | MIP_SEIP | MIP_MEIP;
  private static final long S_INTERRUPTS = MIP_SSIP | MIP_STIP | MIP_SEIP;
  private static final long MIP_WRITABLE = MIP_SSIP | MIP_STIP | MIP_SEIP;

  /** Every exception can be delegated except an environment call from M-mode. */
  private static final long MEDELEG_WRITABLE = 0xb3ffL;

  private static final long SATP_MODE_SV39 = 8L << 60;
  private static final long SATP_WRITABLE = (0xffffL << 44) | ((1L << 44) - 1);

  private final Hart hart;
  private GuestClock clock;

  CsrFile(Hart hart) {
    this.hart = hart;
  }

  public void setClock(GuestClock clock) {
    this.clock = clock;
  }

  private static long bit(char extension) {
    return 1L << (extension - 'A');
  }

  /**
   * Checks that the CSR exists and that the current privilege may access it (and write it when
   * {@code write}); raises illegal-instruction with {@code insn} as mtval otherwise.
   */
  void checkAccess(int csr, boolean write, int insn) {
    int minPriv = (csr >>> 8) & 3;
    boolean readOnly = (csr >>> 10) == 3;
    if (hart.priv < minPriv || (write && readOnly) || !exists(csr) || !counterVisible(csr)) {
      throw new Trap(Causes.ILLEGAL_INSTRUCTION, insn & 0xffffffffL);
    }
    if ((csr == FFLAGS || csr == FRM || csr == FCSR) && !hart.fpEnabled()) {
      throw new Trap(Causes.ILLEGAL_INSTRUCTION, insn & 0xffffffffL);
    }
    if (csr == SATP && hart.priv == PRIV_S && (hart.mstatus & MSTATUS_TVM) != 0) {
      throw new Trap(Causes.ILLEGAL_INSTRUCTION, insn & 0xffffffffL);
    }
  }

  private static boolean exists(int csr) {
    switch (csr) {
      case FFLAGS:
      case FRM:
      case FCSR:
      case SSTATUS:
      case SIE:
      case STVEC:
      case SCOUNTEREN:
      case SSCRATCH:
      case SEPC:
      case SCAUSE:
      case STVAL:
      case SIP:
      case SATP:
      case MVENDORID:
      case MARCHID:
      case MIMPID:
      case MHARTID:
      case MSTATUS:
      case MISA:
      case MEDELEG:
      case MIDELEG:
      case MIE:
      case MTVEC:
      case MCOUNTEREN:
      case MCOUNTINHIBIT:
      case MSCRATCH:
      case MEPC:
      case MCAUSE:
      case MTVAL:
      case MIP:
        return true;
      default:
        // cycle, time, instret, hpmcounter3..31; mcycle, minstret, mhpmcounter3..31; mhpmevent3..31
        return (csr >= 0xc00 && csr <= 0xc1f)
            || (csr >= 0xb00 && csr <= 0xb1f && csr != 0xb01)
            || (csr >= 0x323 && csr <= 0x33f);
    }
  }

  /** User-level counters are gated by mcounteren (for S and U) and scounteren (for U). */
  private boolean counterVisible(int csr) {
    if (csr < 0xc00 || csr > 0xc1f || hart.priv == PRIV_M) {
      return true;
    }
    int bit = 1 << (csr - 0xc00);
    if ((hart.mcounteren & bit) == 0) {
      return false;
    }
    return hart.priv == PRIV_S || (hart.scounteren & bit) != 0;
  }

  /** Reads a CSR's value without access checks or side effects (for diagnostics and tests). */
  public long peek(int csr) {
    return read(csr);
  }

  /** Reads a CSR whose access was checked. */
  long read(int csr) {
    switch (csr) {
      case FFLAGS:
        return hart.fflags;
      case FRM:
        return hart.frm;
      case FCSR:
        return (hart.frm << 5) | hart.fflags;
      case CYCLE:
      case INSTRET:
      case MCYCLE:
      case MINSTRET:
        return hart.instret;
      case TIME:
        return clock.read();
      case SSTATUS:
        return status() & SSTATUS_VISIBLE;
      case SIE:
        return hart.mie & hart.mideleg;
      case STVEC:
        return hart.stvec;
      case SCOUNTEREN:
        return hart.scounteren & 0xffffffffL;
      case SSCRATCH:
        return hart.sscratch;
      case SEPC:
        return hart.sepc;
      case SCAUSE:
        return hart.scause;
      case STVAL:
        return hart.stval;
      case SIP:
        return hart.mip() & hart.mideleg;
      case SATP:
        return hart.satp;
      case MSTATUS:
        return status();
      case MISA:
        return MISA_VALUE;
      case MEDELEG:
        return hart.medeleg;
      case MIDELEG:
        return hart.mideleg;
      case MIE:
        return hart.mie;
      case MTVEC:
        return hart.mtvec;
      case MCOUNTEREN:
        return hart.mcounteren & 0xffffffffL;
      case MSCRATCH:
        return hart.mscratch;
      case MEPC:
        return hart.mepc;
      case MCAUSE:
        return hart.mcause;
      case MTVAL:
        return hart.mtval;
      case MIP:
        return hart.mip();
      default:
        return 0; // ids, mcountinhibit, hpm counters and events: read-only zero
    }
  }

  /**
   * The value CSRRS and CSRRC modify: what {@link #read} returned, except that mip's SEIP is only
   * the software-writable bit there, or setting any other bit would latch the PLIC's line.
   */
  long modifyBase(int csr, long value) {
    return csr == MIP ? (value & ~MIP_SEIP) | (hart.mipSoftware & MIP_SEIP) : value;
  }

  private long status() {
    long s = hart.mstatus;
    return (s & MSTATUS_FS) == MSTATUS_FS ? s | (1L << 63) : s;
  }

  /**
   * Writes a CSR whose access was checked; read-only-zero and WARL fields keep their legal values.
   */
  void write(int csr, long value) {
    switch (csr) {
      case FFLAGS:
        hart.fflags = (int) value & 0x1f;
        hart.markFpDirty();
        break;
      case FRM:
        hart.frm = (int) value & 7;
        hart.markFpDirty();
        break;
      case FCSR:
        hart.fflags = (int) value & 0x1f;
        hart.frm = (int) (value >>> 5) & 7;
        hart.markFpDirty();
        break;
      case SSTATUS:
        writeStatus((hart.mstatus & ~SSTATUS_WRITABLE) | (value & SSTATUS_WRITABLE));
        break;
      case SIE:
        hart.mie = (hart.mie & ~hart.mideleg) | (value & hart.mideleg);
        hart.requestCheck();
        break;
      case STVEC:
        hart.stvec = legalTvec(value, hart.stvec);
        break;
      case SCOUNTEREN:
        hart.scounteren = (int) value;
        break;
      case SSCRATCH:
        hart.sscratch = value;
        break;
      case SEPC:
        hart.sepc = value & ~1L;
        break;
      case SCAUSE:
        hart.scause = value;
        break;
      case STVAL:
        hart.stval = value;
        break;
      case SIP:
        {
          long mask = MIP_SSIP & hart.mideleg;
          hart.mipSoftware = (hart.mipSoftware & ~mask) | (value & mask);
          hart.requestCheck();
          break;
        }
      case SATP:
        writeSatp(value);
        break;
      case MSTATUS:
        writeStatus((hart.mstatus & ~MSTATUS_WRITABLE) | (value & MSTATUS_WRITABLE));
        break;
      case MEDELEG:
        hart.medeleg = value & MEDELEG_WRITABLE;
        break;
      case MIDELEG:
        hart.mideleg = value & S_INTERRUPTS;
        hart.requestCheck();
        break;
      case MIE:
        hart.mie = value & ALL_INTERRUPTS;
        hart.requestCheck();
        break;
      case MTVEC:
        hart.mtvec = legalTvec(value, hart.mtvec);
        break;
      case MCOUNTEREN:
        hart.mcounteren = (int) value;
        break;
      case MSCRATCH:
        hart.mscratch = value;
        break;
      case MEPC:
        hart.mepc = value & ~1L;
        break;
      case MCAUSE:
        hart.mcause = value;
        break;
      case MTVAL:
        hart.mtval = value;
        break;
      case MIP:
        hart.mipSoftware = (hart.mipSoftware & ~MIP_WRITABLE) | (value & MIP_WRITABLE);
        hart.requestCheck();
        break;
      case MCYCLE:
      case MINSTRET:
        // Writable in the spec, but the instruction count is the machine's logical clock: keep it.
        break;
      default:
        break; // misa, mcountinhibit, hpm counters and events: WARL, hard-wired
    }
  }

  private void writeStatus(long value) {
    long mpp = (value & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT;
    if (mpp == 2) { // reserved encoding: keep the previous mode
      value = (value & ~MSTATUS_MPP) | (hart.mstatus & MSTATUS_MPP);
    }
    long changed = hart.mstatus ^ value;
    hart.mstatus = value;
    if ((changed & TRANSLATION_BITS) != 0) {
      hart.privilegeChanged();
    }
    hart.requestCheck();
  }

  /** Modes 2 and 3 of xtvec are reserved: such a write keeps the old mode. */
  private static long legalTvec(long value, long old) {
    long mode = value & 3;
    return mode <= 1 ? value : (value & ~3L) | (old & 3);
  }

  /** Writes selecting an unsupported translation mode are ignored (Linux probes Sv57 and Sv48). */
  private void writeSatp(long value) {
    long mode = value >>> 60;
    if (mode != 0 && mode != 8) {
      return;
    }
    hart.satp = mode == 0 ? value & SATP_WRITABLE : SATP_MODE_SV39 | (value & SATP_WRITABLE);
    hart.translationChanged();
  }
}
