package org.crtrmotion.ops.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.io.PrintWriter;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * Shows a migration's {@code progress} events (phase, round, bytes, expected downtime): a live bar
 * in a terminal, one plain line per event elsewhere (the progress bar writes no newline when its
 * output is not a terminal, so a log or a pipe would get one endless line).
 */
interface MigrationProgress extends AutoCloseable {

  void update(JsonNode progress);

  @Override
  void close();

  /** A bar on {@code terminal} when the command runs in one, else lines on {@code lines}. */
  static MigrationProgress forOutput(
      String vmId, boolean inTerminal, PrintStream terminal, PrintWriter lines) {
    return inTerminal ? new Bar(vmId, terminal) : new Lines(lines);
  }

  /** "TRANSFER round 3, expected downtime 42 ms, lag 1200 instructions". */
  static String describe(JsonNode p) {
    long expected = p.path("expectedDowntimeMillis").asLong(-1);
    StringBuilder s =
        new StringBuilder(p.path("phase").asText("?"))
            .append(" round ")
            .append(p.path("round").asInt());
    s.append(", expected downtime ").append(expected < 0 ? "unknown" : expected + " ms");
    long lag = p.path("lagInstructions").asLong();
    if (lag > 0) {
      s.append(", lag ").append(lag).append(" instructions");
    }
    return s.toString();
  }

  /** "TRANSFER round 3, downtime ~42 ms": what fits after the bar on an 80-column line. */
  static String brief(JsonNode p) {
    long expected = p.path("expectedDowntimeMillis").asLong(-1);
    return p.path("phase").asText("?")
        + " round "
        + p.path("round").asInt()
        + (expected < 0 ? "" : ", downtime ~" + expected + " ms");
  }

  /**
   * The live bar: bytes sent as its count, {@link #brief} as its message, drawn by {@link
   * MigrationBarRenderer} in the terminal's width.
   */
  final class Bar implements MigrationProgress {
    private final ProgressBar bar;

    Bar(String vmId, PrintStream terminal) {
      this(vmId, new ConsoleProgressBarConsumer(terminal));
    }

    Bar(String vmId, ConsoleProgressBarConsumer consumer) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(vmId)
              .setInitialMax(-1) // the bytes to move are not known in advance
              .setRenderer(new MigrationBarRenderer())
              .setUpdateIntervalMillis(200)
              .setConsumer(consumer)
              .build();
    }

    @Override
    public void update(JsonNode progress) {
      bar.stepTo(progress.path("bytesSent").asLong());
      bar.setExtraMessage(" " + brief(progress));
    }

    @Override
    public void close() {
      bar.close();
    }
  }

  /** One line per event, for logs and pipes. */
  final class Lines implements MigrationProgress {
    private final PrintWriter out;

    Lines(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void update(JsonNode progress) {
      out.println(describe(progress) + ", " + progress.path("bytesSent").asLong() + " bytes sent");
      out.flush();
    }

    @Override
    public void close() {
      out.flush();
    }
  }
}
