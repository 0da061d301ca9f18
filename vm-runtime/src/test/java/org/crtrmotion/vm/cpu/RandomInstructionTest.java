package org.crtrmotion.vm.cpu;

import static org.crtrmotion.vm.cpu.Asm.*;
import static org.crtrmotion.vm.cpu.Hart.*;
import static org.crtrmotion.vm.cpu.PageTables.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.crtrmotion.vm.memory.GuestMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Random instruction words and parcels, executed in M-, S- and U-mode (S and U with and without
 * Sv39): whatever the guest does, the machine must answer with guest-visible traps only.
 *
 * <p>A region of random code is run from random starting points. Both trap vectors lead, through
 * one {@code jal} per vectored slot (whose link tells which slot was entered), to a {@code wfi}
 * that makes {@link Interpreter#run} return, so every trap comes back here to be checked: the right
 * vector for the cause, a legal cause, a tval that matches it where the cause defines it, x0 still
 * zero. The state is then re-seeded (mode, vectors, delegation, satp, a few registers) and the next
 * stretch starts; the code is refilled with fresh random words as it is used up.
 *
 * <p>{@code -Drandom.seed=...} and {@code -Drandom.instructions=...} (per mode) explore further; a
 * failure names its configuration, seed and stretch, which replay deterministically.
 */
class RandomInstructionTest {
  /**
   * Random-code instructions (retired or trapping) per privilege mode; S and U split theirs between
   * the bare and the Sv39 configuration.
   */
  static final long INSTRUCTIONS = Long.getLong("random.instructions", 10_000_000L);

  static final long SEED = Long.getLong("random.seed", 0x5eed_c0deL);

  static final long RAM_BASE = CpuHarness.RAM_BASE;
  static final long CODE = RAM_BASE; // random code, physical
  static final int CODE_BYTES = 16 << 10;
  static final long M_STUB = CpuHarness.TRAP_VECTOR;
  static final long S_STUB = CpuHarness.S_TRAP_VECTOR;
  static final long DATA = CpuHarness.DATA;
  static final int DATA_BYTES = 64 << 10;
  static final long TABLES = RAM_BASE + 0x40_0000;
  // Sv39 layout
  static final long VCODE = 0x4000_0000L;
  static final long VDATA = 0x4010_0000L;
  static final long VS_STUB = 0x4020_0000L;
  static final long VUART = 0x4030_0000L;
  static final long VUSER = 0x4040_0000L; // a user page in the supervisor's space (SUM)
  static final long UART = 0x1000_0000L;

  static final int STUB_SLOTS = 16;
  static final long M_STUB_END = M_STUB + 4 * STUB_SLOTS + 8; // after csrrwi mie, 0; wfi
  static final long S_STUB_WFI = S_STUB + 4 * STUB_SLOTS + 4; // after csrrwi sie, 0
  static final long S_STUB_END = S_STUB_WFI + 4;
  static final int CHUNK = 1024; // instruction budget of one stretch
  static final long NO_TRAP = -1; // in xcause: not a value trap entry writes

  enum Config {
    M(PRIV_M, false, 1),
    S(PRIV_S, false, 2),
    S_SV39(PRIV_S, true, 2),
    U(PRIV_U, false, 2),
    U_SV39(PRIV_U, true, 2);

    final int priv;
    final boolean sv39;
    final long instructions;

    Config(int priv, boolean sv39, int shareOfMode) {
      this.priv = priv;
      this.sv39 = sv39;
      this.instructions = INSTRUCTIONS / shareOfMode;
    }
  }

  @Test
  @Timeout(
      value = 10,
      unit = java.util.concurrent.TimeUnit.MINUTES,
      threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void randomInstructionsInEveryModeOnlyEverRaiseGuestTraps() throws Exception {
    long start = System.nanoTime();
    int threads =
        Math.max(1, Math.min(Config.values().length, Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Stats>> futures = new ArrayList<>();
    try {
      for (Config c : Config.values()) {
        futures.add(pool.submit(() -> new Fuzzer(c, SEED + c.ordinal()).run()));
      }
      List<Stats> all = new ArrayList<>();
      for (Future<Stats> f : futures) {
        try {
          all.add(f.get());
        } catch (ExecutionException e) {
          throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.println(Stats.table(all, seconds, threads));
      for (Stats s : all) {
        assertTrue(
            s.randomInstructions >= s.config.instructions, s.config + " made too little progress");
        assertTrue(s.mTraps() > 0, s.config + " saw no machine trap");
        assertEquals(0, s.exceptions[0] + s.sExceptions[0], s.config + ": misaligned fetch with C");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** What one configuration saw. */
  static final class Stats {
    final Config config;
    final long seed;
    long randomInstructions; // retired or trapping in random code (stub instructions excluded)
    long retired;
    long stretches;
    long refills;
    final long[] exceptions = new long[16]; // M-mode traps by cause
    final long[] interrupts = new long[16];
    final long[] sExceptions = new long[16]; // S-mode traps by cause
    final long[] sInterrupts = new long[16];
    long stuck;
    long budgetEnds;
    long randomWfi;
    long stops;
    long stubRepairs;
    long stubJumps; // the random code jumped into a stub
    long tvalChecks;

    Stats(Config config, long seed) {
      this.config = config;
      this.seed = seed;
    }

    long mTraps() {
      return Arrays.stream(exceptions).sum() + Arrays.stream(interrupts).sum();
    }

    long sTraps() {
      return Arrays.stream(sExceptions).sum() + Arrays.stream(sInterrupts).sum();
    }

    static String table(List<Stats> all, double seconds, int threads) {
      StringBuilder b = new StringBuilder();
      long total = 0, traps = 0;
      for (Stats s : all) {
        total += s.randomInstructions;
        traps += s.mTraps() + s.sTraps();
      }
      b.append(
          String.format(
              "%nrandom instructions: %,d in %.1f s on %d threads (%,d traps)%n",
              total, seconds, threads, traps));
      b.append(
          String.format(
              "%-7s %12s %12s %10s %10s %8s %8s %8s %7s %7s %8s%n",
              "config",
              "random insns",
              "retired",
              "M traps",
              "S traps",
              "stuck",
              "budget",
              "wfi",
              "stops",
              "refills",
              "tval ok"));
      for (Stats s : all) {
        b.append(
            String.format(
                "%-7s %,12d %,12d %,10d %,10d %,8d %,8d %,8d %,7d %,7d %,8d%n",
                s.config,
                s.randomInstructions,
                s.retired,
                s.mTraps(),
                s.sTraps(),
                s.stuck,
                s.budgetEnds,
                s.randomWfi,
                s.stops,
                s.refills,
                s.tvalChecks));
      }
      b.append(String.format("%-40s %12s %12s%n", "traps by cause", "to M", "to S"));
      for (int pass = 0; pass < 2; pass++) {
        boolean interrupt = pass == 1;
        for (int c = 0; c < 16; c++) {
          long m = 0, sv = 0;
          for (Stats s : all) {
            m += interrupt ? s.interrupts[c] : s.exceptions[c];
            sv += interrupt ? s.sInterrupts[c] : s.sExceptions[c];
          }
          if (m + sv > 0) {
            String name = Causes.name(interrupt ? Causes.INTERRUPT_BIT | c : c);
            b.append(
                String.format(
                    "  %s%-2d %-34s %,12d %,12d%n", interrupt ? "i" : " ", c, name, m, sv));
          }
        }
      }
      long stuck = 0, jumps = 0, repairs = 0;
      for (Stats s : all) {
        stuck += s.stuck;
        jumps += s.stubJumps;
        repairs += s.stubRepairs;
      }
      b.append(
          String.format(
              "stuck handlers %,d, jumps into a stub %,d, stub repairs %,d%n",
              stuck, jumps, repairs));
      return b.toString();
    }
  }

  /** One configuration's machine, its random code and the checks after every trap. */
  static final class Fuzzer {
    private final Config config;
    private final Random rnd;
    private final Stats stats;
    private final CpuHarness h = new CpuHarness(16L << 20);
    private final Hart hart = h.hart;
    private final GuestMemory ram = h.ram();
    private final byte[] codeBytes = new byte[CODE_BYTES];
    private final byte[] mStub;
    private final byte[] sStub;
    private final long codeBase; // where the random code is, as the configuration sees it
    private final long dataBase;
    private final long sStubBase;
    private final long uartBase;
    private long satp;
    private long codeUsed; // instructions run from the current fill
    private boolean uartInterruptArmed;

    Fuzzer(Config config, long seed) {
      this.config = config;
      this.rnd = new Random(seed);
      this.stats = new Stats(config, seed);
      mStub = stub(M_STUB, 5, new int[] {csrrwi(0, CsrFile.MIE, 0), wfi(), jal(0, -4)});
      // sie = 0 keeps a pending delegated interrupt from making the wfi a no-op
      sStub = stub(S_STUB, 6, new int[] {csrrwi(0, CsrFile.SIE, 0), wfi(), jal(0, -4)});
      h.place(M_STUB, words(mStub));
      h.place(S_STUB, words(sStub));
      if (config.sv39) {
        codeBase = VCODE;
        dataBase = VDATA;
        sStubBase = VS_STUB;
        uartBase = VUART;
        buildPageTables();
      } else {
        codeBase = CODE;
        dataBase = DATA;
        sStubBase = S_STUB;
        uartBase = UART;
      }
      for (int i = 0; i < DATA_BYTES; i += 8) {
        h.writeLong(DATA + i, rnd.nextLong());
      }
      refill();
    }

    /** One {@code jal link} per vectored slot into a common tail. */
    private static byte[] stub(long base, int link, int[] tail) {
      int[] w = new int[STUB_SLOTS + tail.length];
      for (int slot = 0; slot < STUB_SLOTS; slot++) {
        w[slot] = jal(link, 4 * (STUB_SLOTS - slot));
      }
      System.arraycopy(tail, 0, w, STUB_SLOTS, tail.length);
      byte[] b = new byte[4 * w.length];
      for (int i = 0; i < w.length; i++) {
        for (int k = 0; k < 4; k++) {
          b[4 * i + k] = (byte) (w[i] >>> (8 * k));
        }
      }
      return b;
    }

    private static int[] words(byte[] b) {
      int[] w = new int[b.length / 4];
      for (int i = 0; i < w.length; i++) {
        w[i] =
            (b[4 * i] & 0xff)
                | (b[4 * i + 1] & 0xff) << 8
                | (b[4 * i + 2] & 0xff) << 16
                | (b[4 * i + 3] & 0xff) << 24;
      }
      return w;
    }

    private void buildPageTables() {
      PageTables pt = new PageTables(h, TABLES);
      long user = config.priv == PRIV_U ? U : 0;
      for (int i = 0; i < CODE_BYTES; i += 0x1000) {
        pt.map4k(VCODE + i, CODE + i, R | W | X | user | A | D);
      }
      for (int i = 0; i < DATA_BYTES; i += 0x1000) {
        pt.map4k(VDATA + i, DATA + i, R | W | user | A | D);
      }
      pt.map4k(VS_STUB, S_STUB, R | X | A);
      pt.map4k(VUART, UART, R | W | user | A | D);
      pt.map4k(VUSER, DATA, R | W | U); // A and D left for the hardware to set
      satp = pt.satp(1);
    }

    /** Fills the code region with fresh random words and parcels. */
    private void refill() {
      for (int i = 0; i < CODE_BYTES; i += 4) {
        int w;
        switch (rnd.nextInt(4)) {
          case 0: // any 32 bits: three times in four this starts with a compressed parcel
            w = rnd.nextInt();
            break;
          case 1: // a 32-bit instruction word
            w = rnd.nextInt() | 3;
            break;
          case 2: // two compressed parcels
            w = parcel() | parcel() << 16;
            break;
          default: // a word with a major opcode that exists, to reach deeper into the decoders
            w = likelyWord();
            break;
        }
        codeBytes[i] = (byte) w;
        codeBytes[i + 1] = (byte) (w >>> 8);
        codeBytes[i + 2] = (byte) (w >>> 16);
        codeBytes[i + 3] = (byte) (w >>> 24);
      }
      ram.write(CODE, codeBytes, 0, CODE_BYTES);
      stats.refills++;
      codeUsed = 0;
    }

    private int parcel() {
      int p = rnd.nextInt(0x10000);
      return (p & 3) == 3 ? p & ~1 : p;
    }

    private static final int[] OPCODES = {
      0x03, 0x07, 0x0f, 0x13, 0x17, 0x1b, 0x23, 0x27, 0x2f, 0x33, 0x37, 0x3b, 0x43, 0x47, 0x4b,
      0x4f, 0x53, 0x63, 0x67, 0x6f, 0x73, 0x73, 0x73
    };
    private static final int[] CSRS = {
      0x001, 0x002, 0x003, 0x100, 0x104, 0x105, 0x106, 0x140, 0x141, 0x142, 0x143, 0x144, 0x180,
      0x300, 0x301, 0x302, 0x303, 0x304, 0x305, 0x306, 0x320, 0x340, 0x341, 0x342, 0x343, 0x344,
      0xb00, 0xb02, 0xc00, 0xc01, 0xc02, 0xc03, 0xf11, 0xf14
    };

    private int likelyWord() {
      int op = OPCODES[rnd.nextInt(OPCODES.length)];
      int w = (rnd.nextInt() & ~0x7f) | op;
      if (op == 0x73 && rnd.nextBoolean()) {
        w = (w & 0x000f_ffff) | CSRS[rnd.nextInt(CSRS.length)] << 20; // an implemented CSR
      } else if (op == 0x73 && rnd.nextInt(4) == 0) {
        int[] system = {
          ecall(), ebreak(), mret(), sret(), wfi(), sfenceVma(rnd.nextInt(32), rnd.nextInt(32))
        };
        w = system[rnd.nextInt(system.length)];
      }
      return w;
    }

    // ---------------------------------------------------------------- seeding

    private long interestingValue() {
      switch (rnd.nextInt(10)) {
        case 0:
        case 1:
        case 2: // a pointer into the data area, any alignment
          return dataBase + rnd.nextInt(DATA_BYTES);
        case 3: // an aligned one
          return dataBase + (rnd.nextInt(DATA_BYTES) & ~7);
        case 4: // into the code: self-modifying stores and computed jumps
          return rnd.nextBoolean() ? codeBase + rnd.nextInt(CODE_BYTES) : rnd.nextInt(64) - 32;
        case 5:
          return rnd.nextInt(64) - 32;
        case 6:
          { // devices and holes
            long[] addresses = {
              uartBase,
              UART,
              0x0200_0000L,
              0x0200_4000L,
              0x0200_bff8L,
              0x0c00_0000L,
              0x0c20_0004L,
              0x1000_1000L,
              0,
              0x4000_0000L,
              RAM_BASE + (16L << 20) - 4,
              VUSER
            };
            return addresses[rnd.nextInt(addresses.length)];
          }
        case 7:
          return rnd.nextLong() >> rnd.nextInt(64);
        default:
          return rnd.nextLong();
      }
    }

    private long codeAddress() {
      return codeBase + 2L * rnd.nextInt(CODE_BYTES / 2);
    }

    private void seedRegisters(int count) {
      for (int i = 0; i < count; i++) {
        int r = 1 + rnd.nextInt(31);
        hart.x[r] = interestingValue();
      }
      hart.x[2] =
          rnd.nextInt(4) == 0 ? interestingValue() : dataBase + 0x8000 + 8 * rnd.nextInt(512);
      if (rnd.nextInt(8) == 0) {
        int f = rnd.nextInt(32);
        hart.f[f] = rnd.nextBoolean() ? FloatTest.sBits(rnd.nextInt()) : rnd.nextLong();
      }
    }

    /** Puts the hart back into the configuration's mode with sane vectors and fresh choices. */
    private void reseed() {
      long status = hart.mstatus & (MSTATUS_FS | MSTATUS_XLEN64);
      status |= (long) rnd.nextInt(4) << MSTATUS_FS_SHIFT;
      int mpp = new int[] {PRIV_U, PRIV_S, PRIV_M}[rnd.nextInt(3)];
      status |= (long) mpp << MSTATUS_MPP_SHIFT;
      if (rnd.nextBoolean()) status |= MSTATUS_SPP;
      if (rnd.nextBoolean()) status |= MSTATUS_SUM;
      if (rnd.nextInt(4) == 0) status |= MSTATUS_MXR;
      if (rnd.nextInt(4) == 0) status |= MSTATUS_SIE;
      if (rnd.nextInt(4) == 0) status |= MSTATUS_MIE;
      if (rnd.nextInt(4) == 0) status |= MSTATUS_MPIE | MSTATUS_SPIE;

      if (rnd.nextInt(16) == 0) status |= MSTATUS_TSR;
      if (rnd.nextInt(16) == 0) status |= MSTATUS_TVM;
      if (config.priv == PRIV_M && rnd.nextInt(8) == 0) status |= MSTATUS_MPRV;
      hart.mstatus = status;
      hart.mtvec = M_STUB | (rnd.nextInt(4) == 0 ? 1 : 0);
      hart.stvec = sStubBase | (rnd.nextInt(4) == 0 ? 1 : 0);
      long oldSatp = hart.satp;
      hart.satp = config.sv39 ? satp : 0;
      long[] medelegs = {0, 0xb109, 0xb3ff};
      hart.medeleg = config.priv == PRIV_M ? medelegs[rnd.nextInt(2)] : medelegs[rnd.nextInt(3)];
      // With TW the S stub's wfi traps: only to M, where the stub's S trap is still counted
      if (rnd.nextInt(16) == 0 && (hart.medeleg & (1L << Causes.ILLEGAL_INSTRUCTION)) == 0) {
        hart.mstatus |= MSTATUS_TW;
      }
      hart.mideleg = rnd.nextBoolean() ? MIP_SSIP | MIP_STIP | MIP_SEIP : 0;
      hart.mie = 0;
      hart.mipSoftware = 0;
      h.board.clint.write(0x4000, 8, -1);
      h.board.clint.write(0, 4, 0);
      if (uartInterruptArmed) {
        h.board.uart.write(1, 1, 0);
        uartInterruptArmed = false;
      }
      switch (rnd.nextInt(32)) {
        case 0: // a timer interrupt some instructions from now
          h.board.clint.write(0x4000, 8, h.board.clock.now() + rnd.nextInt(40));
          hart.mie = MIP_MTIP;
          break;
        case 1: // supervisor interrupts pending in software, maybe delegated
          int subset = 1 + rnd.nextInt(7);
          hart.mipSoftware =
              ((subset & 1) != 0 ? MIP_SSIP : 0)
                  | ((subset & 2) != 0 ? MIP_STIP : 0)
                  | ((subset & 4) != 0 ? MIP_SEIP : 0);
          hart.mie = MIP_SSIP | MIP_STIP | MIP_SEIP;
          break;
        case 2:
          h.board.clint.write(0, 4, 1);
          hart.mie = MIP_MSIP;
          break;
        case 3:
          { // the UART's transmitter-empty interrupt through the PLIC, to M or S
            int context = rnd.nextInt(2);
            h.board.plic.write(4L * org.crtrmotion.vm.board.Uart16550.IRQ, 4, 1);
            h.board.plic.write(
                0x2000 + 0x80L * context, 4, 1 << org.crtrmotion.vm.board.Uart16550.IRQ);
            h.board.plic.write(0x2000 + 0x80L * (1 - context), 4, 0);
            h.board.uart.write(1, 1, 2);
            uartInterruptArmed = true;
            hart.mie = MIP_MEIP | MIP_SEIP;
            break;
          }
        default:
          break;
      }
      hart.mepc = codeAddress();
      hart.sepc = codeAddress();
      hart.frm = rnd.nextInt(8);
      if (rnd.nextInt(4) == 0) hart.fflags = 0;
      hart.mcounteren = rnd.nextBoolean() ? -1 : rnd.nextInt(8);
      hart.scounteren = rnd.nextBoolean() ? -1 : rnd.nextInt(8);
      hart.reservation = rnd.nextInt(8) == 0 ? hart.x[10] : -1;
      seedRegisters(4);
      // No stale stub addresses in the links, and a cause no trap writes: the random code can
      // jump into a stub too, and that must not pass for a trap.
      hart.x[5] = interestingValue();
      hart.x[6] = interestingValue();
      hart.mcause = NO_TRAP;
      hart.scause = NO_TRAP;
      hart.priv = config.priv;
      hart.pc = codeAddress();
      // as a CSR write would: a new satp drops cached translations, the rest selects among them
      if (hart.satp != oldSatp) {
        hart.translationChanged();
      } else {
        hart.privilegeChanged();
      }
    }

    // ---------------------------------------------------------------- the loop

    Stats run() {
      for (int i = 1; i < 32; i++) {
        hart.x[i] = interestingValue();
      }
      reseed();
      while (stats.randomInstructions < config.instructions) {
        long before = hart.instret;
        int exit;
        try {
          exit = h.board.interpreter.run(hart.instret + CHUNK);
        } catch (RuntimeException | Error e) {
          throw new AssertionError(describe("Java exception escaped Interpreter.run"), e);
        }
        long retired = hart.instret - before;
        stats.retired += retired;
        stats.stretches++;
        assertEquals(0, hart.x[0], () -> describe("x0 was written"));
        assertEquals(0, hart.pc & 1, () -> describe("odd pc"));
        long random = afterRun(exit, retired);
        stats.randomInstructions += random;
        codeUsed += random;
        if (codeUsed > CODE_BYTES / 2) {
          refill();
        }
      }
      return stats;
    }

    /**
     * Checks and counts how the stretch ended, re-seeds unless the stretch just paused; returns how
     * many random-code instructions it ran (retired, or raising the exception that ended it).
     */
    private long afterRun(int exit, long retired) {
      long sEnd = sStubBase + (S_STUB_END - S_STUB);
      long random;
      switch (exit) {
        case Interpreter.EXIT_WFI:
          if (hart.pc == M_STUB_END) {
            random = retired - 3 + (checkMachineTrap() ? 1 : 0);
          } else if (hart.pc == sEnd) {
            random = retired - 3 + (checkSupervisorTrap(true) ? 1 : 0);
          } else {
            stats.randomWfi++; // the random code's own WFI: just go on
            return retired;
          }
          break;
        case Interpreter.EXIT_STUCK:
          stats.stuck++;
          checkStuck();
          random = retired + 1;
          break;
        case Interpreter.EXIT_STOP:
          stats.stops++; // the finisher was written
          h.board.interpreter.clearStop();
          random = retired;
          break;
        default:
          stats.budgetEnds++;
          random = retired;
          break;
      }
      if (!stubsIntact()) {
        h.place(M_STUB, words(mStub));
        h.place(S_STUB, words(sStub));
        stats.stubRepairs++;
      }
      reseed();
      return Math.max(0, random);
    }

    private boolean stubsIntact() {
      return Arrays.equals(mStub, 0, mStub.length, ram.page(ram.pageIndex(M_STUB)), 0, mStub.length)
          && Arrays.equals(
              sStub, 0, sStub.length, ram.page(ram.pageIndex(S_STUB)), 0, sStub.length);
    }

    private static final long LEGAL_EXCEPTIONS = 0b1011_1011_1111_1110L; // 1..9, 11, 12, 13, 15
    private static final long LEGAL_INTERRUPTS = 0b1010_1010_1010L; // 1, 3, 5, 7, 9, 11

    /** Returns whether the trap was an exception (raised by an instruction). */
    private boolean checkMachineTrap() {
      if (hart.mcause == NO_TRAP) {
        stats.stubJumps++;
        return false;
      }
      if (!stubsIntact()) {
        return true;
      }
      assertEquals(PRIV_M, hart.priv, () -> describe("M stub reached outside M-mode"));
      long cause = hart.mcause;
      int code = (int) (cause & 63);
      boolean interrupt = cause < 0;
      checkCause(cause, "mcause");
      checkEntry(hart.x[5] - 4, hart.mtvec, M_STUB, cause, "M");
      if (interrupt) {
        stats.interrupts[code]++;
        return false;
      }
      stats.exceptions[code]++;
      int from = (int) ((hart.mstatus & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT);
      checkTval(code, hart.mepc, hart.mtval, from, "m");
      if (code == Causes.ILLEGAL_INSTRUCTION
          && from == PRIV_S
          && hart.mepc == sStubBase + (S_STUB_WFI - S_STUB)) {
        checkSupervisorTrap(
            false); // TW made the S stub's wfi trap: the trap that led there counts too
      }
      return true;
    }

    /** {@code stillInS}: the stub ran to its end (not into a TW trap to M). */
    private boolean checkSupervisorTrap(boolean stillInS) {
      if (hart.scause == NO_TRAP) {
        stats.stubJumps++;
        return false;
      }
      if (!stubsIntact()) {
        return true;
      }
      if (stillInS) {
        assertEquals(PRIV_S, hart.priv, () -> describe("S stub reached outside S-mode"));
      }
      long cause = hart.scause;
      int code = (int) (cause & 63);
      boolean interrupt = cause < 0;
      checkCause(cause, "scause");
      checkEntry(hart.x[6] - 4, hart.stvec, sStubBase, cause, "S");
      assertTrue(
          interrupt ? (hart.mideleg & (1L << code)) != 0 : (hart.medeleg & (1L << code)) != 0,
          () -> describe("undelegated trap reached S-mode"));
      if (interrupt) {
        stats.sInterrupts[code]++;
        return false;
      }
      stats.sExceptions[code]++;
      int from = (hart.mstatus & MSTATUS_SPP) != 0 ? PRIV_S : PRIV_U;
      checkTval(code, hart.sepc, hart.stval, from, "s");
      return true;
    }

    /**
     * The slot the stub's link says was entered must be the one xtvec selects for the cause (random
     * CSR writes may have moved xtvec within the stub; outside the slots nothing is known).
     */
    private void checkEntry(long entered, long tvec, long stubBase, long cause, String mode) {
      long expected = (tvec & ~3L) + (cause < 0 && (tvec & 3) == 1 ? 4 * (cause & 63) : 0);
      if (expected >= stubBase && expected < stubBase + 4 * STUB_SLOTS) {
        assertEquals(
            expected,
            entered,
            () -> describe("trap entered the " + mode + " vector at the wrong slot"));
      }
    }

    private void checkCause(long cause, String name) {
      int code = (int) (cause & 63);
      boolean interrupt = cause < 0;
      assertEquals(
          0, cause & ~(Causes.INTERRUPT_BIT | 63), () -> describe(name + " has stray bits"));
      long legal = interrupt ? LEGAL_INTERRUPTS : LEGAL_EXCEPTIONS;
      assertTrue(
          (legal & (1L << code)) != 0,
          () -> describe(name + " " + Long.toHexString(cause) + " is not a legal cause"));
    }

    /** The trap values the privileged spec pins down, checked against the code in memory. */
    private void checkTval(int code, long epc, long tval, int from, String x) {
      assertEquals(0, epc & 1, () -> describe(x + "epc is odd"));
      switch (code) {
        case Causes.ECALL_FROM_U:
        case Causes.ECALL_FROM_S:
        case Causes.ECALL_FROM_M:
          assertEquals(
              Causes.ECALL_FROM_U + from,
              code,
              () -> describe("ecall cause does not match " + x + "PP"));
          assertEquals(0, tval, () -> describe("ecall with nonzero " + x + "tval"));
          break;
        case Causes.BREAKPOINT:
          assertEquals(epc, tval, () -> describe("breakpoint " + x + "tval is not the pc"));
          break;
        case Causes.FETCH_ACCESS:
        case Causes.FETCH_PAGE_FAULT:
          assertTrue(
              tval == epc || (tval == epc + 2 && (tval & 0xfff) == 0),
              () -> describe("fetch fault " + x + "tval is neither the pc nor its next page"));
          break;
        case Causes.ILLEGAL_INSTRUCTION:
          {
            long pa = physical(epc, from);
            if (pa >= 0) {
              long word = readWord(pa);
              long bits = (word & 3) != 3 ? word & 0xffff : word;
              assertEquals(
                  bits,
                  tval,
                  () -> describe("illegal-instruction " + x + "tval is not the instruction"));
              stats.tvalChecks++;
            }
            break;
          }
        default:
          break;
      }
    }

    /**
     * The physical address of an instruction fetched at {@code va} in mode {@code priv}, where the
     * configuration's own mapping decides it; -1 when the random code changed satp or the
     * instruction may straddle a page.
     */
    private long physical(long va, int priv) {
      if ((va & 0xfff) > 0xffc) {
        return -1;
      }
      long pa = va;
      if (priv != PRIV_M && (hart.satp >>> 60) != 0) {
        if (hart.satp != satp) {
          return -1;
        }
        if (va >= VCODE && va < VCODE + CODE_BYTES) {
          pa = CODE + (va - VCODE);
        } else if (va >= VS_STUB && va < VS_STUB + 0x1000) {
          pa = S_STUB + (va - VS_STUB);
        } else {
          return -1;
        }
      }
      return ram.contains(pa) && ram.contains(pa + 3) ? pa : -1;
    }

    private long readWord(long pa) {
      byte[] b = new byte[4];
      ram.read(pa, b, 0, 4);
      return (b[0] & 0xff) | (b[1] & 0xff) << 8 | (b[2] & 0xff) << 16 | (b[3] & 0xffL) << 24;
    }

    private void checkStuck() {
      long vector = hart.priv == PRIV_M ? hart.mtvec : hart.stvec;
      assertEquals(
          vector & ~3L, hart.pc, () -> describe("stuck somewhere else than at the trap vector"));
      checkCause(hart.priv == PRIV_M ? hart.mcause : hart.scause, "cause");
    }

    private String describe(String what) {
      long pa = physical(hart.pc, hart.priv);
      long word = pa >= 0 ? readWord(pa) : -1;
      return String.format(
          "%s [%s, seed 0x%x, stretch %d, pc 0x%x (word 0x%x), priv %d, mcause 0x%x mepc 0x%x mtval"
              + " 0x%x, scause 0x%x sepc 0x%x stval 0x%x, mstatus 0x%x, satp 0x%x, instret %d]",
          what,
          config,
          stats.seed,
          stats.stretches,
          hart.pc,
          word,
          hart.priv,
          hart.mcause,
          hart.mepc,
          hart.mtval,
          hart.scause,
          hart.sepc,
          hart.stval,
          hart.mstatus,
          hart.satp,
          hart.instret);
    }
  }
}
