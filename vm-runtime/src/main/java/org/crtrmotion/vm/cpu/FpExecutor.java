package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Op.*;

import org.crtrmotion.vm.cpu.fp.FpStatus;
import org.crtrmotion.vm.cpu.fp.SoftFloat;

/**
 * Executes F and D instructions: NaN-boxing, rounding-mode resolution, the FS state and fflags
 * accrual live here; the arithmetic itself is {@link SoftFloat}.
 */
final class FpExecutor {
  private static final long BOX = 0xffffffff00000000L;
  private static final int CANONICAL_NAN_S = 0x7fc00000;
  private static final long SIGN_D = Long.MIN_VALUE;
  private static final int SIGN_S = Integer.MIN_VALUE;

  private final Hart h;
  private final Mmu mmu;
  private final FpStatus status = new FpStatus();

  FpExecutor(Hart hart, Mmu mmu) {
    this.h = hart;
    this.mmu = mmu;
  }

  /** A single-precision value read from a 64-bit register: improperly boxed reads as NaN. */
  static int unbox(long v) {
    return (v & BOX) == BOX ? (int) v : CANONICAL_NAN_S;
  }

  static long box(int v) {
    return BOX | (v & 0xffffffffL);
  }

  void execute(long d) {
    if (!h.fpEnabled()) {
      throw new Trap(Causes.ILLEGAL_INSTRUCTION, Trap.INSTRUCTION_BITS);
    }
    final int op = Decoder.op(d);
    final int rd = Decoder.rd(d);
    final int rs1 = Decoder.rs1(d);
    final int rs2 = Decoder.rs2(d);
    final int imm = Decoder.imm(d);
    final int rs3 = imm >>> 3;
    final long[] f = h.f;
    final long[] x = h.x;
    final FpStatus st = status;
    st.flags = 0;
    switch (op) {
      case FLW:
        f[rd] = box((int) mmu.load(x[rs1] + imm, 4));
        break;
      case FLD:
        f[rd] = mmu.load(x[rs1] + imm, 8);
        break;
      case FSW:
        mmu.store(x[rs1] + imm, 4, f[rs2]);
        return;
      case FSD:
        mmu.store(x[rs1] + imm, 8, f[rs2]);
        return;
      case FSGNJ_S:
        f[rd] = box((unbox(f[rs1]) & ~SIGN_S) | (unbox(f[rs2]) & SIGN_S));
        break;
      case FSGNJN_S:
        f[rd] = box((unbox(f[rs1]) & ~SIGN_S) | (~unbox(f[rs2]) & SIGN_S));
        break;
      case FSGNJX_S:
        f[rd] = box(unbox(f[rs1]) ^ (unbox(f[rs2]) & SIGN_S));
        break;
      case FSGNJ_D:
        f[rd] = (f[rs1] & ~SIGN_D) | (f[rs2] & SIGN_D);
        break;
      case FSGNJN_D:
        f[rd] = (f[rs1] & ~SIGN_D) | (~f[rs2] & SIGN_D);
        break;
      case FSGNJX_D:
        f[rd] = f[rs1] ^ (f[rs2] & SIGN_D);
        break;
      case FMV_X_W:
        x[rd] = (int) f[rs1];
        return;
      case FMV_X_D:
        x[rd] = f[rs1];
        return;
      case FMV_W_X:
        f[rd] = box((int) x[rs1]);
        break;
      case FMV_D_X:
        f[rd] = x[rs1];
        break;
      case FCLASS_S:
        x[rd] = SoftFloat.classS(unbox(f[rs1]));
        return;
      case FCLASS_D:
        x[rd] = SoftFloat.classD(f[rs1]);
        return;
      case FMIN_S:
        f[rd] = box(SoftFloat.minS(unbox(f[rs1]), unbox(f[rs2]), st));
        break;
      case FMAX_S:
        f[rd] = box(SoftFloat.maxS(unbox(f[rs1]), unbox(f[rs2]), st));
        break;
      case FMIN_D:
        f[rd] = SoftFloat.minD(f[rs1], f[rs2], st);
        break;
      case FMAX_D:
        f[rd] = SoftFloat.maxD(f[rs1], f[rs2], st);
        break;
      case FEQ_S:
        x[rd] = SoftFloat.eqS(unbox(f[rs1]), unbox(f[rs2]), st) ? 1 : 0;
        accrue();
        return;
      case FLT_S:
        x[rd] = SoftFloat.ltS(unbox(f[rs1]), unbox(f[rs2]), st) ? 1 : 0;
        accrue();
        return;
      case FLE_S:
        x[rd] = SoftFloat.leS(unbox(f[rs1]), unbox(f[rs2]), st) ? 1 : 0;
        accrue();
        return;
      case FEQ_D:
        x[rd] = SoftFloat.eqD(f[rs1], f[rs2], st) ? 1 : 0;
        accrue();
        return;
      case FLT_D:
        x[rd] = SoftFloat.ltD(f[rs1], f[rs2], st) ? 1 : 0;
        accrue();
        return;
      case FLE_D:
        x[rd] = SoftFloat.leD(f[rs1], f[rs2], st) ? 1 : 0;
        accrue();
        return;
      case FCVT_D_S:
        rm(imm); // it cannot round, but a dynamic rm with a reserved frm is still illegal
        f[rd] = SoftFloat.sToD(unbox(f[rs1]), st);
        break;
      case FADD_S:
        f[rd] = box(SoftFloat.addS(unbox(f[rs1]), unbox(f[rs2]), rm(imm), st));
        break;
      case FSUB_S:
        f[rd] = box(SoftFloat.subS(unbox(f[rs1]), unbox(f[rs2]), rm(imm), st));
        break;
      case FMUL_S:
        f[rd] = box(SoftFloat.mulS(unbox(f[rs1]), unbox(f[rs2]), rm(imm), st));
        break;
      case FDIV_S:
        f[rd] = box(SoftFloat.divS(unbox(f[rs1]), unbox(f[rs2]), rm(imm), st));
        break;
      case FSQRT_S:
        f[rd] = box(SoftFloat.sqrtS(unbox(f[rs1]), rm(imm), st));
        break;
      case FMADD_S:
        f[rd] = box(SoftFloat.fmaddS(unbox(f[rs1]), unbox(f[rs2]), unbox(f[rs3]), rm(imm), st));
        break;
      case FMSUB_S:
        f[rd] = box(SoftFloat.fmsubS(unbox(f[rs1]), unbox(f[rs2]), unbox(f[rs3]), rm(imm), st));
        break;
      case FNMSUB_S:
        f[rd] = box(SoftFloat.fnmsubS(unbox(f[rs1]), unbox(f[rs2]), unbox(f[rs3]), rm(imm), st));
        break;
      case FNMADD_S:
        f[rd] = box(SoftFloat.fnmaddS(unbox(f[rs1]), unbox(f[rs2]), unbox(f[rs3]), rm(imm), st));
        break;
      case FADD_D:
        f[rd] = SoftFloat.addD(f[rs1], f[rs2], rm(imm), st);
        break;
      case FSUB_D:
        f[rd] = SoftFloat.subD(f[rs1], f[rs2], rm(imm), st);
        break;
      case FMUL_D:
        f[rd] = SoftFloat.mulD(f[rs1], f[rs2], rm(imm), st);
        break;
      case FDIV_D:
        f[rd] = SoftFloat.divD(f[rs1], f[rs2], rm(imm), st);
        break;
      case FSQRT_D:
        f[rd] = SoftFloat.sqrtD(f[rs1], rm(imm), st);
        break;
      case FMADD_D:
        f[rd] = SoftFloat.fmaddD(f[rs1], f[rs2], f[rs3], rm(imm), st);
        break;
      case FMSUB_D:
        f[rd] = SoftFloat.fmsubD(f[rs1], f[rs2], f[rs3], rm(imm), st);
        break;
      case FNMSUB_D:
        f[rd] = SoftFloat.fnmsubD(f[rs1], f[rs2], f[rs3], rm(imm), st);
        break;
      case FNMADD_D:
        f[rd] = SoftFloat.fnmaddD(f[rs1], f[rs2], f[rs3], rm(imm), st);
        break;
      case FCVT_S_D:
        f[rd] = box(SoftFloat.dToS(f[rs1], rm(imm), st));
        break;
      case FCVT_W_S:
        x[rd] = SoftFloat.sToW(unbox(f[rs1]), rm(imm), st);
        accrue();
        return;
      case FCVT_WU_S:
        x[rd] = SoftFloat.sToWu(unbox(f[rs1]), rm(imm), st);
        accrue();
        return;
      case FCVT_L_S:
        x[rd] = SoftFloat.sToL(unbox(f[rs1]), rm(imm), st);
        accrue();
        return;
      case FCVT_LU_S:
        x[rd] = SoftFloat.sToLu(unbox(f[rs1]), rm(imm), st);
        accrue();
        return;
      case FCVT_W_D:
        x[rd] = SoftFloat.dToW(f[rs1], rm(imm), st);
        accrue();
        return;
      case FCVT_WU_D:
        x[rd] = SoftFloat.dToWu(f[rs1], rm(imm), st);
        accrue();
        return;
      case FCVT_L_D:
        x[rd] = SoftFloat.dToL(f[rs1], rm(imm), st);
        accrue();
        return;
      case FCVT_LU_D:
        x[rd] = SoftFloat.dToLu(f[rs1], rm(imm), st);
        accrue();
        return;
      case FCVT_S_W:
        f[rd] = box(SoftFloat.wToS(x[rs1], rm(imm), st));
        break;
      case FCVT_S_WU:
        f[rd] = box(SoftFloat.wuToS(x[rs1], rm(imm), st));
        break;
      case FCVT_S_L:
        f[rd] = box(SoftFloat.lToS(x[rs1], rm(imm), st));
        break;
      case FCVT_S_LU:
        f[rd] = box(SoftFloat.luToS(x[rs1], rm(imm), st));
        break;
      case FCVT_D_W:
        f[rd] = SoftFloat.wToD(x[rs1], rm(imm), st);
        break;
      case FCVT_D_WU:
        f[rd] = SoftFloat.wuToD(x[rs1], rm(imm), st);
        break;
      case FCVT_D_L:
        f[rd] = SoftFloat.lToD(x[rs1], rm(imm), st);
        break;
      case FCVT_D_LU:
        f[rd] = SoftFloat.luToD(x[rs1], rm(imm), st);
        break;
      default:
        throw new IllegalStateException("not a floating-point op: " + Op.name(op));
    }
    // An FP register was written: the FP state is dirty, and the op's flags accrue.
    h.fflags |= st.flags;
    h.markFpDirty();
  }

  /** Integer-result ops dirty the FP state only when they raise a flag. */
  private void accrue() {
    if (status.flags != 0) {
      h.fflags |= status.flags;
      h.markFpDirty();
    }
  }

  /** The effective rounding mode: the instruction's, or frm when it says dynamic. */
  private int rm(int imm) {
    int field = imm & 7;
    int rm = field == 7 ? h.frm : field;
    if (rm > 4) {
      throw new Trap(Causes.ILLEGAL_INSTRUCTION, Trap.INSTRUCTION_BITS);
    }
    return rm;
  }
}
