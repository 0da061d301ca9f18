package org.crtrmotion.ops.client;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBarRenderer;
import me.tongfei.progressbar.ProgressState;
import org.crtrmotion.ops.demo.Bytes;

/**
 * The migration bar's line: "a-vm-1 TRANSFER round 3, downtime ~42 ms | 3.0 MiB | 1.2 MiB/s |
 * 0:04". A migration's size is not known in advance, so a percentage bar would say nothing; the
 * line keeps what an operator watches first and drops the rest, right to left, when the terminal is
 * narrow (a line longer than the terminal wraps and breaks the in-place redraw).
 */
final class MigrationBarRenderer implements ProgressBarRenderer {
  @Override
  public String render(ProgressState state, int maxLength) {
    StringBuilder line = new StringBuilder(state.getTaskName()).append(state.getExtraMessage());
    if (line.length() > maxLength) {
      return line.substring(0, Math.max(0, maxLength));
    }
    Duration elapsed = state.getTotalElapsed();
    long bytes = state.getCurrent();
    double seconds = elapsed.toMillis() / 1000.0;
    String[] details = {
      Bytes.human(bytes),
      seconds > 0 ? Bytes.human((long) (bytes / seconds)) + "/s" : null,
      String.format("%d:%02d", elapsed.toMinutes(), elapsed.toSecondsPart())
    };
    for (String detail : details) {
      if (detail != null && line.length() + 3 + detail.length() <= maxLength) {
        line.append(" | ").append(detail);
      }
    }
    return line.toString();
  }
}
