package org.crtrmotion.vm.board;

import org.crtrmotion.vm.bus.MmioDevice;
import org.crtrmotion.vm.checkpoint.proto.PlicState;
import org.crtrmotion.vm.cpu.Causes;
import org.crtrmotion.vm.cpu.InterruptLines;
import org.crtrmotion.vm.state.Digestible;
import org.crtrmotion.vm.state.StateHasher;

/**
 * The platform-level interrupt controller with QEMU virt's layout: sources 1..95, two contexts for
 * the single hart (0 = M-mode, 1 = S-mode). Sources are level-triggered; a claimed source is not
 * pending again until it is completed.
 */
public final class Plic implements MmioDevice, Digestible {
  public static final long BASE = 0x0c00_0000L;

  /** Sources 1..96 (the device tree's riscv,ndev is 96, as QEMU writes it); 0 does not exist. */
  public static final int SOURCES = 97;

  private static final int WORDS = (SOURCES + 31) / 32;
  private static final int CONTEXTS = 2;
  private static final int PENDING = 0x1000;
  private static final int ENABLE = 0x2000;
  private static final int ENABLE_STRIDE = 0x80;
  private static final int CONTEXT = 0x20_0000;
  private static final int CONTEXT_STRIDE = 0x1000;

  private final InterruptLines hart;
  private final int[] priority = new int[SOURCES];
  private final boolean[] level = new boolean[SOURCES]; // line state from the device
  private final boolean[] claimed = new boolean[SOURCES];
  private final int[][] enable = new int[CONTEXTS][WORDS];
  private final int[] threshold = new int[CONTEXTS];

  public Plic(InterruptLines hart) {
    this.hart = hart;
  }

  @Override
  public String name() {
    return "plic";
  }

  @Override
  public long size() {
    return 0x60_0000;
  }

  @Override
  public boolean accepts(long offset, int width) {
    return width == 4 && (offset & 3) == 0;
  }

  /** A device drives its interrupt line. */
  public void setLevel(int source, boolean high) {
    if (source <= 0 || source >= SOURCES || level[source] == high) {
      return;
    }
    level[source] = high;
    update();
  }

  private boolean pending(int source) {
    return level[source] && !claimed[source];
  }

  @Override
  public long read(long offset, int width) {
    if (offset < PENDING) {
      int source = (int) (offset >>> 2);
      return source < SOURCES ? priority[source] : 0;
    }
    if (offset < ENABLE) {
      int word = (int) ((offset - PENDING) >>> 2);
      if (word >= WORDS) {
        return 0;
      }
      int bits = 0;
      for (int i = 0; i < 32; i++) {
        int source = word * 32 + i;
        if (source < SOURCES && pending(source)) {
          bits |= 1 << i;
        }
      }
      return bits & 0xffffffffL;
    }
    if (offset < CONTEXT) {
      int context = (int) ((offset - ENABLE) / ENABLE_STRIDE);
      int word = (int) (((offset - ENABLE) % ENABLE_STRIDE) >>> 2);
      return context < CONTEXTS && word < WORDS ? enable[context][word] & 0xffffffffL : 0;
    }
    int context = (int) ((offset - CONTEXT) / CONTEXT_STRIDE);
    int register = (int) ((offset - CONTEXT) % CONTEXT_STRIDE);
    if (context >= CONTEXTS) {
      return 0;
    }
    if (register == 0) {
      return threshold[context];
    }
    return register == 4 ? claim(context) : 0;
  }

  @Override
  public void write(long offset, int width, long value) {
    if (offset < PENDING) {
      int source = (int) (offset >>> 2);
      if (source > 0 && source < SOURCES) {
        priority[source] = (int) value & 7;
      }
    } else if (offset >= ENABLE && offset < CONTEXT) {
      int context = (int) ((offset - ENABLE) / ENABLE_STRIDE);
      int word = (int) (((offset - ENABLE) % ENABLE_STRIDE) >>> 2);
      if (context < CONTEXTS && word < WORDS) {
        enable[context][word] = word == 0 ? (int) value & ~1 : (int) value;
      }
    } else if (offset >= CONTEXT) {
      int context = (int) ((offset - CONTEXT) / CONTEXT_STRIDE);
      int register = (int) ((offset - CONTEXT) % CONTEXT_STRIDE);
      if (context >= CONTEXTS) {
        return;
      }
      if (register == 0) {
        threshold[context] = (int) value & 7;
      } else if (register == 4) {
        complete(context, (int) value);
      }
    }
    update();
  }

  private boolean enabled(int context, int source) {
    return (enable[context][source >>> 5] & (1 << (source & 31))) != 0;
  }

  /** The highest-priority pending enabled source above the threshold (lowest id on ties), or 0. */
  private int best(int context) {
    int best = 0;
    int bestPriority = threshold[context];
    for (int s = 1; s < SOURCES; s++) {
      if (pending(s) && enabled(context, s) && priority[s] > bestPriority) {
        best = s;
        bestPriority = priority[s];
      }
    }
    return best;
  }

  private long claim(int context) {
    int source = best(context);
    if (source != 0) {
      claimed[source] = true;
      update();
    }
    return source;
  }

  private void complete(int context, int source) {
    if (source > 0 && source < SOURCES && enabled(context, source)) {
      claimed[source] = false;
    }
  }

  private void update() {
    hart.setLine(Causes.IRQ_M_EXT, best(0) != 0);
    hart.setLine(Causes.IRQ_S_EXT, best(1) != 0);
  }

  @Override
  public void digestInto(StateHasher h) {
    h.section("plic").putInts(priority).putBooleans(level).putBooleans(claimed);
    for (int[] contextEnables : enable) {
      h.putInts(contextEnables);
    }
    h.putInts(threshold);
  }

  public PlicState save() {
    PlicState.Builder s = PlicState.newBuilder();
    for (int i = 0; i < SOURCES; i++) {
      s.addPriority(priority[i]).addLevel(level[i]).addClaimed(claimed[i]);
    }
    for (int w = 0; w < WORDS; w++) {
      s.addEnableM(enable[0][w]).addEnableS(enable[1][w]);
    }
    return s.addThreshold(threshold[0]).addThreshold(threshold[1]).build();
  }

  /**
   * Sets the registers without driving the hart's lines: the hart's own state carries them. Throws
   * IllegalArgumentException when the state does not fit this PLIC.
   */
  public void restore(PlicState s) {
    if (s.getPriorityCount() != SOURCES
        || s.getLevelCount() != SOURCES
        || s.getClaimedCount() != SOURCES
        || s.getEnableMCount() != WORDS
        || s.getEnableSCount() != WORDS
        || s.getThresholdCount() != CONTEXTS) {
      throw new IllegalArgumentException("PLIC state does not have " + SOURCES + " sources");
    }
    for (int i = 0; i < SOURCES; i++) {
      priority[i] = s.getPriority(i) & 7;
      level[i] = s.getLevel(i);
      claimed[i] = s.getClaimed(i);
    }
    for (int w = 0; w < WORDS; w++) {
      enable[0][w] = s.getEnableM(w);
      enable[1][w] = s.getEnableS(w);
    }
    threshold[0] = s.getThreshold(0) & 7;
    threshold[1] = s.getThreshold(1) & 7;
  }
}
