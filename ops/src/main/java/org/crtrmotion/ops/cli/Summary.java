package org.crtrmotion.ops.cli;

import java.util.Locale;
import org.crtrmotion.vm.machine.RunResult;

/** The one-line summary of a run that goes to stderr. */
final class Summary {
  private Summary() {}

  static String line(RunResult r, double seconds) {
    double mips = seconds > 0 ? r.instructions() / seconds / 1e6 : 0;
    return String.format(
        Locale.ROOT,
        "crtr: %,d instructions retired in %.3f s (%.1f MIPS); %s",
        r.instructions(),
        seconds,
        mips,
        r.detail());
  }
}
