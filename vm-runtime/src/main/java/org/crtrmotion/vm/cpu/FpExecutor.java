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
    int op = Decoder.op(d);
    int rd = Decoder.rd(d);
    int rs1 = Decoder.rs1(d);
    int rs2 = Decoder.rs2(d);
    int imm = Decoder.imm(d);
    long[] f = h.f;
    long[] x = h.x;
    switch (op) {
      case FLW: f[rd] = box((int) mmu.load(x[rs1] + imm, 4)); break;
      case FLD: f[rd] = mmu.load(x[rs1] + imm, 8); break;
      case FSW: mmu.store(x[rs1] + imm, 4, f[rs2]); return;
      case FSD: mmu.store(x[rs1] + imm, 8, f[rs2]); return;
      case FSGNJ_S: f[rd] = box((unbox(f[rs1]) & ~SIGN_S) | (unbox(f[rs2]) & SIGN_S)); break;
      case FSGNJN_S: f[rd] = box((unbox(f[rs1]) & ~SIGN_S) | (~unbox(f[rs2]) & SIGN_S)); break;
      case FSGNJX_S: f[rd] = box(unbox(f[rs1]) ^ (unbox(f[rs2]) & SIGN_S)); break;
      case FSGNJ_D: f[rd] = (f[rs1] & ~SIGN_D) | (f[rs2] & SIGN_D); break;
      case FSGNJN_D: f[rd] = (f[rs1] & ~SIGN_D) | (~f[rs2] & SIGN_D); break;
      case FSGNJX_D: f[rd] = f[rs1] ^ (f[rs2] & SIGN_D); break;
      case FMV_X_W: x[rd] = (int) f[rs1]; return;
      case FMV_X_D: x[rd] = f[rs1]; return;
      case FMV_W_X: f[rd] = box((int) x[rs1]); break;
      case FMV_D_X: f[rd] = x[rs1]; break;
      case FCLASS_S: x[rd] = SoftFloat.classS(unbox(f[rs1])); return;
      case FCLASS_D: x[rd] = SoftFloat.classD(f[rs1]); return;
      default:
        status.flags = 0;
        arithmetic(op, rd, rs1, rs2, imm);
        if (status.flags != 0) {
          h.fflags |= status.flags;
          h.markFpDirty();
        }
        return;
    }
    h.markFpDirty();
  }

  private int roundingMode(int rmField) {
    int rm = rmField == 7 ? h.frm : rmField;
    if (rm > 4) {
      throw new Trap(Causes.ILLEGAL_INSTRUCTION, Trap.INSTRUCTION_BITS);
    }
    return rm;
  }

  private void arithmetic(int op, int rd, int rs1, int rs2, int imm) {
    long[] f = h.f;
    long[] x = h.x;
    FpStatus st = status;
    int rs3 = imm >>> 3;
    switch (op) {
      case FMIN_S: writeS(rd, SoftFloat.minS(unbox(f[rs1]), unbox(f[rs2]), st)); return;
      case FMAX_S: writeS(rd, SoftFloat.maxS(unbox(f[rs1]), unbox(f[rs2]), st)); return;
      case FMIN_D: writeD(rd, SoftFloat.minD(f[rs1], f[rs2], st)); return;
      case FMAX_D: writeD(rd, SoftFloat.maxD(f[rs1], f[rs2], st)); return;
      case FEQ_S: x[rd] = SoftFloat.eqS(unbox(f[rs1]), unbox(f[rs2]), st) ? 1 : 0; return;
      case FLT_S: x[rd] = SoftFloat.ltS(unbox(f[rs1]), unbox(f[rs2]), st) ? 1 : 0; return;
      case FLE_S: x[rd] = SoftFloat.leS(unbox(f[rs1]), unbox(f[rs2]), st) ? 1 : 0; return;
      case FEQ_D: x[rd] = SoftFloat.eqD(f[rs1], f[rs2], st) ? 1 : 0; return;
      case FLT_D: x[rd] = SoftFloat.ltD(f[rs1], f[rs2], st) ? 1 : 0; return;
      case FLE_D: x[rd] = SoftFloat.leD(f[rs1], f[rs2], st) ? 1 : 0; return;
      default:
        break;
    }
    // Even ops that cannot round (fcvt.d.s, fcvt.d.w) decode rm as usual: dynamic with a
    // reserved frm is illegal.
    int rm = roundingMode(imm & 7);
    switch (op) {
      case FADD_S: writeS(rd, SoftFloat.addS(unbox(f[rs1]), unbox(f[rs2]), rm, st)); break;
      case FSUB_S: writeS(rd, SoftFloat.subS(unbox(f[rs1]), unbox(f[rs2]), rm, st)); break;
      case FMUL_S: writeS(rd, SoftFloat.mulS(unbox(f[rs1]), unbox(f[rs2]), rm, st)); break;
      case FDIV_S: writeS(rd, SoftFloat.divS(unbox(f[rs1]), unbox(f[rs2]), rm, st)); break;
      case FSQRT_S: writeS(rd, SoftFloat.sqrtS(unbox(f[rs1]), rm, st)); break;
      case FMADD_S: writeS(rd, SoftFloat.fmaddS(unbox(f[rs1]), unbox(f[rs2]), unbox(f[rs3]), rm, st)); break;
      case FMSUB_S: writeS(rd, SoftFloat.fmsubS(unbox(f[rs1]), unbox(f[rs2]), unbox(f[rs3]), rm, st)); break;
      case FNMSUB_S: writeS(rd, SoftFloat.fnmsubS(unbox(f[rs1]), unbox(f[rs2]), unbox(f[rs3]), rm, st)); break;
      case FNMADD_S: writeS(rd, SoftFloat.fnmaddS(unbox(f[rs1]), unbox(f[rs2]), unbox(f[rs3]), rm, st)); break;
      case FADD_D: writeD(rd, SoftFloat.addD(f[rs1], f[rs2], rm, st)); break;
      case FSUB_D: writeD(rd, SoftFloat.subD(f[rs1], f[rs2], rm, st)); break;
      case FMUL_D: writeD(rd, SoftFloat.mulD(f[rs1], f[rs2], rm, st)); break;
      case FDIV_D: writeD(rd, SoftFloat.divD(f[rs1], f[rs2], rm, st)); break;
      case FSQRT_D: writeD(rd, SoftFloat.sqrtD(f[rs1], rm, st)); break;
      case FMADD_D: writeD(rd, SoftFloat.fmaddD(f[rs1], f[rs2], f[rs3], rm, st)); break;
      case FMSUB_D: writeD(rd, SoftFloat.fmsubD(f[rs1], f[rs2], f[rs3], rm, st)); break;
      case FNMSUB_D: writeD(rd, SoftFloat.fnmsubD(f[rs1], f[rs2], f[rs3], rm, st)); break;
      case FNMADD_D: writeD(rd, SoftFloat.fnmaddD(f[rs1], f[rs2], f[rs3], rm, st)); break;
      case FCVT_S_D: writeS(rd, SoftFloat.dToS(f[rs1], rm, st)); break;
      case FCVT_D_S: writeD(rd, SoftFloat.sToD(unbox(f[rs1]), st)); break;
      case FCVT_W_S: x[rd] = SoftFloat.sToW(unbox(f[rs1]), rm, st); break;
      case FCVT_WU_S: x[rd] = SoftFloat.sToWu(unbox(f[rs1]), rm, st); break;
      case FCVT_L_S: x[rd] = SoftFloat.sToL(unbox(f[rs1]), rm, st); break;
      case FCVT_LU_S: x[rd] = SoftFloat.sToLu(unbox(f[rs1]), rm, st); break;
      case FCVT_W_D: x[rd] = SoftFloat.dToW(f[rs1], rm, st); break;
      case FCVT_WU_D: x[rd] = SoftFloat.dToWu(f[rs1], rm, st); break;
      case FCVT_L_D: x[rd] = SoftFloat.dToL(f[rs1], rm, st); break;
      case FCVT_LU_D: x[rd] = SoftFloat.dToLu(f[rs1], rm, st); break;
      case FCVT_S_W: writeS(rd, SoftFloat.wToS(x[rs1], rm, st)); break;
      case FCVT_S_WU: writeS(rd, SoftFloat.wuToS(x[rs1], rm, st)); break;
      case FCVT_S_L: writeS(rd, SoftFloat.lToS(x[rs1], rm, st)); break;
      case FCVT_S_LU: writeS(rd, SoftFloat.luToS(x[rs1], rm, st)); break;
      case FCVT_D_W: writeD(rd, SoftFloat.wToD(x[rs1], rm, st)); break;
      case FCVT_D_WU: writeD(rd, SoftFloat.wuToD(x[rs1], rm, st)); break;
      case FCVT_D_L: writeD(rd, SoftFloat.lToD(x[rs1], rm, st)); break;
      case FCVT_D_LU: writeD(rd, SoftFloat.luToD(x[rs1], rm, st)); break;
      default:
        throw new IllegalStateException("not a floating-point op: " + Op.name(op));
    }
  }

  private void writeS(int rd, int v) {
    h.f[rd] = box(v);
    h.markFpDirty();
  }

  private void writeD(int rd, long v) {
    h.f[rd] = v;
    h.markFpDirty();
  }
}
