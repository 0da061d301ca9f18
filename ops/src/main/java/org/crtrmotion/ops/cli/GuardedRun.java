package org.crtrmotion.ops.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.RunResult;

/** Runs a machine so that Ctrl-C stops it cleanly and the summary still reaches the terminal. */
final class GuardedRun {
  private GuardedRun() {}

  static RunResult run(Machine machine, long maxInstructions, Runnable afterRun) {
    CountDownLatch finished = new CountDownLatch(1);
    Thread onInterrupt =
        new Thread(
            () -> {
              machine.requestStop();
              try {
                finished.await(5, TimeUnit.SECONDS); // let the summary reach the terminal
              } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
              }
            });
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      RunResult result = machine.run(maxInstructions);
      afterRun.run();
      return result;
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C arrived: the hook is running and waits for the summary.
      }
    }
  }
}
