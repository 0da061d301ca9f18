package org.crtrmotion.vm.time;

import java.util.function.LongSupplier;
import org.crtrmotion.vm.checkpoint.proto.VirtualClockState;

/**
 * Guest time derived from the instruction count: one tick per {@code instructionsPerTick} retired
 * instructions, plus the ticks skipped while the hart idled in WFI. Nothing of the host leaks in.
 */
public final class VirtualClock implements GuestClock {
  /** 10 instructions per 100 ns tick: a nominal 100 MIPS guest. */
  public static final long DEFAULT_INSTRUCTIONS_PER_TICK = 10;

  private final LongSupplier instret;
  private final long instructionsPerTick;
  private long idleInstructions; // instruction-equivalents skipped in WFI
  private long offset; // ticks added by guest writes to mtime

  public VirtualClock(LongSupplier instret, long instructionsPerTick) {
    if (instructionsPerTick <= 0) {
      throw new IllegalArgumentException("instructions per tick must be positive");
    }
    this.instret = instret;
    this.instructionsPerTick = instructionsPerTick;
  }

  private long elapsedInstructions() {
    return instret.getAsLong() + idleInstructions;
  }

  @Override
  public long now() {
    return elapsedInstructions() / instructionsPerTick + offset;
  }

  @Override
  public void set(long mtime) {
    offset += mtime - now();
  }

  @Override
  public long instructionsUntil(long mtime) {
    long ticks = mtime - offset;
    if (ticks < 0) {
      return 0;
    }
    if (ticks > Long.MAX_VALUE / instructionsPerTick) {
      return Long.MAX_VALUE;
    }
    return Math.max(0, ticks * instructionsPerTick - elapsedInstructions());
  }

  @Override
  public void idleUntil(long mtime) {
    long n = instructionsUntil(mtime);
    if (n != Long.MAX_VALUE) {
      idleInstructions += n;
    }
  }

  @Override
  public void wake() {}

  @Override
  public TimeMode mode() {
    return TimeMode.VIRTUAL;
  }

  public long idleInstructions() {
    return idleInstructions;
  }

  public VirtualClockState save() {
    return VirtualClockState.newBuilder()
        .setIdleInstructions(idleInstructions)
        .setOffset(offset)
        .build();
  }

  /** The instruction count comes from the restored hart; only what time adds to it is here. */
  public void restore(VirtualClockState s) {
    idleInstructions = s.getIdleInstructions();
    offset = s.getOffset();
  }
}
