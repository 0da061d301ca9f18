package org.crtrmotion.vm.cpu.fp;

import static org.crtrmotion.vm.cpu.fp.SoftFloat.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every instruction recorded in {@link QemuVectors} gives the same register value and fflags. */
class QemuCrossCheckTest {
  private record Vector(String line, int rm, long a, long b, long c, long result, int flags) {}

  private static final Map<String, List<Vector>> BY_MNEMONIC = parse();

  private static Map<String, List<Vector>> parse() {
    Map<String, List<Vector>> map = new LinkedHashMap<>();
    for (String line : QemuVectors.all().split("\n")) {
      String[] t = line.trim().split(" ");
      Vector v =
          new Vector(
              line.trim(),
              Integer.parseInt(t[1]),
              hex(t[2]),
              hex(t[3]),
              hex(t[4]),
              hex(t[5]),
              Integer.parseInt(t[6], 16));
      map.computeIfAbsent(t[0], k -> new ArrayList<>()).add(v);
    }
    return map;
  }

  private static long hex(String s) {
    return Long.parseUnsignedLong(s, 16);
  }

  static Stream<String> mnemonics() {
    return BY_MNEMONIC.keySet().stream();
  }

  @ParameterizedTest
  @MethodSource("mnemonics")
  void softFloatAgreesWithQemu(String mnemonic) {
    for (Vector v : BY_MNEMONIC.get(mnemonic)) {
      FpStatus st = new FpStatus();
      long actual = execute(mnemonic, v.rm, v.a, v.b, v.c, st);
      assertEquals(Long.toHexString(v.result), Long.toHexString(actual), v.line);
      assertEquals(v.flags, st.flags, v.line);
    }
  }

  /** A single in a register reads back through fmv.x.w: sign-extended from bit 31. */
  private static long x(int single) {
    return single;
  }

  private static long execute(String m, int rm, long a, long b, long c, FpStatus st) {
    int as = (int) a;
    int bs = (int) b;
    int cs = (int) c;
    switch (m) {
      case "fadd.d":
        return addD(a, b, rm, st);
      case "fsub.d":
        return subD(a, b, rm, st);
      case "fmul.d":
        return mulD(a, b, rm, st);
      case "fdiv.d":
        return divD(a, b, rm, st);
      case "fsqrt.d":
        return sqrtD(a, rm, st);
      case "fmadd.d":
        return fmaddD(a, b, c, rm, st);
      case "fmsub.d":
        return fmsubD(a, b, c, rm, st);
      case "fnmsub.d":
        return fnmsubD(a, b, c, rm, st);
      case "fnmadd.d":
        return fnmaddD(a, b, c, rm, st);
      case "fmin.d":
        return minD(a, b, st);
      case "fmax.d":
        return maxD(a, b, st);
      case "feq.d":
        return eqD(a, b, st) ? 1 : 0;
      case "flt.d":
        return ltD(a, b, st) ? 1 : 0;
      case "fle.d":
        return leD(a, b, st) ? 1 : 0;
      case "fclass.d":
        return classD(a);
      case "fcvt.w.d":
        return dToW(a, rm, st);
      case "fcvt.wu.d":
        return dToWu(a, rm, st);
      case "fcvt.l.d":
        return dToL(a, rm, st);
      case "fcvt.lu.d":
        return dToLu(a, rm, st);
      case "fcvt.d.w":
        return wToD(a, rm, st);
      case "fcvt.d.wu":
        return wuToD(a, rm, st);
      case "fcvt.d.l":
        return lToD(a, rm, st);
      case "fcvt.d.lu":
        return luToD(a, rm, st);
      case "fcvt.s.d":
        return x(dToS(a, rm, st));
      case "fcvt.d.s":
        return sToD(as, st);
      case "fadd.s":
        return x(addS(as, bs, rm, st));
      case "fsub.s":
        return x(subS(as, bs, rm, st));
      case "fmul.s":
        return x(mulS(as, bs, rm, st));
      case "fdiv.s":
        return x(divS(as, bs, rm, st));
      case "fsqrt.s":
        return x(sqrtS(as, rm, st));
      case "fmadd.s":
        return x(fmaddS(as, bs, cs, rm, st));
      case "fmsub.s":
        return x(fmsubS(as, bs, cs, rm, st));
      case "fnmsub.s":
        return x(fnmsubS(as, bs, cs, rm, st));
      case "fnmadd.s":
        return x(fnmaddS(as, bs, cs, rm, st));
      case "fmin.s":
        return x(minS(as, bs, st));
      case "fmax.s":
        return x(maxS(as, bs, st));
      case "feq.s":
        return eqS(as, bs, st) ? 1 : 0;
      case "flt.s":
        return ltS(as, bs, st) ? 1 : 0;
      case "fle.s":
        return leS(as, bs, st) ? 1 : 0;
      case "fclass.s":
        return classS(as);
      case "fcvt.w.s":
        return sToW(as, rm, st);
      case "fcvt.wu.s":
        return sToWu(as, rm, st);
      case "fcvt.l.s":
        return sToL(as, rm, st);
      case "fcvt.lu.s":
        return sToLu(as, rm, st);
      case "fcvt.s.w":
        return x(wToS(a, rm, st));
      case "fcvt.s.wu":
        return x(wuToS(a, rm, st));
      case "fcvt.s.l":
        return x(lToS(a, rm, st));
      case "fcvt.s.lu":
        return x(luToS(a, rm, st));
      default:
        throw new IllegalArgumentException(m);
    }
  }
}
