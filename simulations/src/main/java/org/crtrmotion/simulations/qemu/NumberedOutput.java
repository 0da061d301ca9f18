package org.crtrmotion.simulations.qemu;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a guest's numbered console lines ({@code tick N}, as idle.elf and memory.elf print them)
 * run on from the source's console to the target's without a gap or a repeat.
 *
 * <p>The two consoles are read as one: the source may stop in the middle of a line that the target
 * then finishes. Only complete lines count.
 */
final class NumberedOutput {
  private static final Pattern TICK = Pattern.compile("(?:^|\\s)tick (\\d+)(?:\\s|$)");

  /**
   * @param targetLines numbered lines the target printed after the switch
   * @param gapFree every step between consecutive numbers, across both consoles, is the same
   *     positive step (so nothing was lost or repeated at the switch)
   * @param lastSourceTick the last number the source printed, -1 if none
   * @param firstTargetTick the first number the target printed, -1 if none
   */
  record Continuity(int targetLines, boolean gapFree, long lastSourceTick, long firstTargetTick) {
    boolean continued() {
      return targetLines > 0 && gapFree;
    }
  }

  private NumberedOutput() {}

  static Continuity check(String source, String target) {
    String both = source + target;
    int end = both.lastIndexOf('\n');
    List<Long> ticks = new ArrayList<>();
    List<Boolean> fromTarget = new ArrayList<>();
    int start = 0;
    while (start <= end) {
      int eol = both.indexOf('\n', start);
      Matcher m = TICK.matcher(both.substring(start, eol));
      if (m.find()) {
        ticks.add(Long.parseLong(m.group(1)));
        // A line the source began belongs to the source even if the target finished it.
        fromTarget.add(start >= source.length());
      }
      start = eol + 1;
    }
    long lastSource = -1;
    long firstTarget = -1;
    int targetLines = 0;
    for (int i = 0; i < ticks.size(); i++) {
      if (fromTarget.get(i)) {
        targetLines++;
        if (firstTarget < 0) {
          firstTarget = ticks.get(i);
        }
      } else {
        lastSource = ticks.get(i);
      }
    }
    return new Continuity(targetLines, evenlySpaced(ticks), lastSource, firstTarget);
  }

  private static boolean evenlySpaced(List<Long> ticks) {
    if (ticks.size() < 2) {
      return true;
    }
    long step = ticks.get(1) - ticks.get(0);
    if (step <= 0) {
      return false;
    }
    for (int i = 2; i < ticks.size(); i++) {
      if (ticks.get(i) - ticks.get(i - 1) != step) {
        return false;
      }
    }
    return true;
  }
}
