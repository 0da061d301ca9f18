package org.crtrmotion.simulations.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * The workload catalogue. Network ({@code netkv.elf} under the load client) and disk ({@code
 * disk.elf}) guests are listed but not runnable until the actor runtime can give a VM its virtio
 * devices (issue 7); the evaluation names them as not yet runnable in its output.
 */
public final class Workloads {
  private Workloads() {}

  /** The dirty rates of memory.elf, in pages per 1 ms tick, that the full matrix runs. */
  public static final List<Integer> FULL_MEMORY_RATES = List.of(4, 16, 64);

  /** Sleeps in WFI and prints a line per 50 ms tick. */
  public static EvalWorkload idle() {
    return new EvalWorkload(
        "idle",
        "idle.elf",
        "period_ms=50 ticks=0",
        16L << 20,
        1L << 10,
        "sleeps in WFI, a line per 50 ms tick",
        "");
  }

  /** Compute-bound rounds of hashing, sorting and arithmetic, a line per round. */
  public static EvalWorkload cpu() {
    return new EvalWorkload(
        "cpu",
        "cpu.elf",
        "rounds=1000000",
        16L << 20,
        1L << 18,
        "compute-bound, ~75 KiB working set, a line per round",
        "");
  }

  /**
   * Rewrites {@code ratePagesPerMillisecond} pages of a 4 MiB working set per 1 ms tick, a checked
   * line per 50 ticks.
   */
  public static EvalWorkload memory(int ratePagesPerMillisecond) {
    if (ratePagesPerMillisecond < 1) {
      throw new IllegalArgumentException(
          "memory.elf's rate is at least 1 page per tick, not " + ratePagesPerMillisecond);
    }
    long mibPerSecond = ratePagesPerMillisecond * 4096L * 1000 >> 20;
    return new EvalWorkload(
        "memory-r" + ratePagesPerMillisecond,
        "memory.elf",
        "wss=4M rate=" + ratePagesPerMillisecond + " period_us=1000 ticks=0 report=50",
        32L << 20,
        1L << 16,
        "dirties " + ratePagesPerMillisecond + " pages/ms (~" + mibPerSecond + " MiB/s) of 4 MiB",
        "");
  }

  /** netkv.elf under {@code crtr load}: needs virtio-net in the actor runtime. */
  public static EvalWorkload netkv() {
    return new EvalWorkload(
        "netkv",
        "netkv.elf",
        "",
        32L << 20,
        1L << 14,
        "UDP key-value server under the load client (client-observed downtime)",
        "needs virtio-net and the cluster's virtual switch in the actor runtime (issue 7)");
  }

  /** disk.elf on a virtio-blk drive: needs virtio-blk in the actor runtime. */
  public static EvalWorkload disk() {
    return new EvalWorkload(
        "disk",
        "disk.elf",
        "",
        32L << 20,
        1L << 16,
        "reads and writes a virtio-blk drive",
        "needs virtio-blk in the actor runtime (issue 7)");
  }

  /** Every workload of the full matrix, the not-yet-runnable ones included. */
  public static List<EvalWorkload> full() {
    List<EvalWorkload> all = new ArrayList<>(List.of(idle(), cpu()));
    for (int rate : FULL_MEMORY_RATES) {
      all.add(memory(rate));
    }
    all.add(netkv());
    all.add(disk());
    return all;
  }

  /** The quick matrix: one guest of each kind that runs, one memory rate. */
  public static List<EvalWorkload> quick() {
    return List.of(idle(), cpu(), memory(16), netkv(), disk());
  }
}
