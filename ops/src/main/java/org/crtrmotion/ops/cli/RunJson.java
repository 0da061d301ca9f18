package org.crtrmotion.ops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.crtrmotion.vm.machine.RunResult;

/**
 * The JSON form of {@link Summary}'s line, shared by {@code run}, {@code record} and {@code
 * replay}: instructions, seconds, MIPS, how the run ended (a {@link
 * org.crtrmotion.vm.machine.StopReason} name) and its detail.
 */
final class RunJson {
  private RunJson() {}

  static ObjectNode summary(RunResult r, double seconds) {
    ObjectNode o = JsonOption.object();
    o.put("instructions", r.instructions());
    JsonOption.number(o, "seconds", seconds);
    JsonOption.number(o, "mips", seconds > 0 ? r.instructions() / seconds / 1e6 : 0);
    o.put("outcome", r.reason().name());
    o.put("detail", r.detail());
    return o;
  }
}
