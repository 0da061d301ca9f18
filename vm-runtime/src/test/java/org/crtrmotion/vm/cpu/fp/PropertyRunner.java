package org.crtrmotion.vm.cpu.fp;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.stream.IntStream;
import org.crtrmotion.vm.cpu.fp.Oracle.Format;
import org.crtrmotion.vm.cpu.fp.Oracle.Result;

/**
 * Runs seeded random cases against the oracle. Cases are split into fixed chunks, each with its own
 * seed, so the run is reproducible and can use every core.
 */
final class PropertyRunner {
  private PropertyRunner() {}

  static final int CHUNKS = 8;

  /** Generates the operands of one case. */
  interface Generator {
    long[] next(Operands g);
  }

  /** The operation under test on raw bits (singles in the low 32 bits). */
  interface Subject {
    long apply(long[] ops, int rm, FpStatus st);
  }

  interface Reference {
    Result apply(long[] ops, int rm);
  }

  static void run(
      String op,
      Format f,
      Mode mode,
      long seed,
      int cases,
      Generator gen,
      Subject subject,
      Reference reference) {
    IntStream.range(0, CHUNKS)
        .parallel()
        .forEach(
            chunk -> {
              Operands g = new Operands(f, seed * 1_000_003L + chunk * 7919L + mode.rm);
              for (int i = 0; i < cases / CHUNKS; i++) {
                long[] ops = gen.next(g);
                FpStatus st = new FpStatus();
                long actual = subject.apply(ops, mode.rm, st);
                Result expected = reference.apply(ops, mode.rm);
                if (actual != expected.bits() || st.flags != expected.flags()) {
                  fail(describe(op, f, mode, ops, expected, actual, st.flags));
                }
              }
            });
  }

  static String describe(
      String op, Format f, Mode mode, long[] ops, Result expected, long actual, int actualFlags) {
    StringBuilder sb =
        new StringBuilder(op).append(' ').append(f).append(' ').append(mode).append('(');
    for (int i = 0; i < ops.length; i++) {
      sb.append(i == 0 ? "" : ", ").append(hex(f, ops[i]));
    }
    return sb.append("): expected ")
        .append(hex(f, expected.bits()))
        .append(" flags ")
        .append(flags(expected.flags()))
        .append(", got ")
        .append(hex(f, actual))
        .append(" flags ")
        .append(flags(actualFlags))
        .toString();
  }

  static String hex(Format f, long bits) {
    if (f == Format.S) {
      return String.format("0x%08x (%s)", bits, Float.intBitsToFloat((int) bits));
    }
    return String.format("0x%016x (%s)", bits, Double.longBitsToDouble(bits));
  }

  static String flags(int flags) {
    FpStatus st = new FpStatus();
    st.flags = flags;
    return st.toString();
  }
}
