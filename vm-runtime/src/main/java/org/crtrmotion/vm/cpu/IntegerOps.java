package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Op.*;

/** The RV64M corner cases Java does not share, and the AMO arithmetic. */
final class IntegerOps {
  private IntegerOps() {}

  /** High half and division ops; RISC-V never traps: x/0 = -1, x%0 = x, MIN/-1 = MIN. */
  static long mulDiv(int op, long a, long b) {
    switch (op) {
      case MULH:
        return Math.multiplyHigh(a, b);
      case MULHU:
        return Math.multiplyHigh(a, b) + ((a >> 63) & b) + ((b >> 63) & a);
      case MULHSU:
        return Math.multiplyHigh(a, b) + ((b >> 63) & a);
      case DIV:
        return b == 0 ? -1 : a / b;
      case DIVU:
        return b == 0 ? -1 : Long.divideUnsigned(a, b);
      case REM:
        return b == 0 ? a : a % b;
      case REMU:
        return b == 0 ? a : Long.remainderUnsigned(a, b);
      case DIVW:
        {
          int x = (int) a, y = (int) b;
          return y == 0 ? -1 : x / y;
        }
      case DIVUW:
        {
          int x = (int) a, y = (int) b;
          return y == 0 ? -1 : Integer.divideUnsigned(x, y);
        }
      case REMW:
        {
          int x = (int) a, y = (int) b;
          return y == 0 ? x : x % y;
        }
      case REMUW:
        {
          int x = (int) a, y = (int) b;
          return y == 0 ? x : Integer.remainderUnsigned(x, y);
        }
      default:
        throw new IllegalArgumentException("not a multiply/divide op: " + Op.name(op));
    }
  }

  /**
   * The value an AMO writes back. {@code kind} counts from LR (0) in {@link Op} order; for word
   * AMOs both operands arrive sign-extended from 32 bits.
   */
  static long amo(int kind, long old, long b, boolean word) {
    switch (kind) {
      case 2:
        return b; // swap
      case 3:
        return old + b;
      case 4:
        return old ^ b;
      case 5:
        return old & b;
      case 6:
        return old | b;
      case 7:
        return Math.min(old, b);
      case 8:
        return Math.max(old, b);
      case 9:
        return unsignedLess(old, b, word) ? old : b; // minu
      case 10:
        return unsignedLess(old, b, word) ? b : old; // maxu
      default:
        throw new IllegalArgumentException("not an AMO: " + kind);
    }
  }

  private static boolean unsignedLess(long a, long b, boolean word) {
    return word ? Integer.compareUnsigned((int) a, (int) b) < 0 : Long.compareUnsigned(a, b) < 0;
  }
}
