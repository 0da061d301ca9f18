package org.crtrmotion.ops.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.crtrmotion.actors.migration.MigrationReport;

/**
 * The demo's reports as a text table, one column per migration side by side, one row per figure.
 */
final class ReportTable {
  private ReportTable() {}

  private record Row(String label, Function<DemoResult, String> value) {}

  private static final List<Row> ROWS =
      List.of(
          new Row("workload", r -> r.workload().cliName() + " (" + r.workload().image() + ")"),
          new Row("migration", r -> r.report().sourceNode() + " -> " + r.report().targetNode()),
          new Row("outcome", r -> r.report().outcome().name()),
          new Row("reason", r -> r.report().reason().isEmpty() ? "-" : r.report().reason()),
          new Row("downtime", r -> r.report().downtimeMillis() + " ms"),
          new Row("expected downtime", r -> expected(r.report())),
          new Row("total time", r -> r.report().totalTimeMillis() + " ms"),
          new Row("setup time", r -> r.report().setupTimeMillis() + " ms"),
          new Row("rounds", r -> Integer.toString(r.report().rounds().size())),
          new Row("bytes total", r -> Bytes.human(r.report().bytesTotal())),
          new Row("  checkpoint", r -> Bytes.human(r.report().bytesByKind().checkpoint())),
          new Row("  trace", r -> Bytes.human(r.report().bytesByKind().trace())),
          new Row("  pages", r -> Bytes.human(r.report().bytesByKind().pages())),
          new Row("  control", r -> Bytes.human(r.report().bytesByKind().control())),
          new Row("max throttle", r -> r.report().maxThrottlePercent() + " %"),
          new Row("freeze instruction", r -> String.format("%,d", r.report().freezeInstruction())),
          new Row("digests", r -> r.report().digestCheck().name()),
          new Row("output continuous", r -> continuity(r)));

  /** Cells wider than this (a long abort reason) wrap onto more lines of their row. */
  static final int MAX_CELL_WIDTH = 60;

  static String of(List<DemoResult> results) {
    List<String> header = new ArrayList<>();
    header.add("");
    results.forEach(r -> header.add(r.report().strategy().cliName()));
    List<List<String>> lines = new ArrayList<>();
    lines.add(header);
    for (Row row : ROWS) {
      List<List<String>> cells = new ArrayList<>();
      cells.add(List.of(row.label()));
      results.forEach(r -> cells.add(wrap(row.value().apply(r))));
      int height = cells.stream().mapToInt(List::size).max().orElse(1);
      for (int h = 0; h < height; h++) {
        List<String> line = new ArrayList<>();
        for (List<String> cell : cells) {
          line.add(h < cell.size() ? cell.get(h) : "");
        }
        lines.add(line);
      }
    }
    int[] widths = new int[header.size()];
    for (List<String> line : lines) {
      for (int i = 0; i < line.size(); i++) {
        widths[i] = Math.max(widths[i], line.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int l = 0; l < lines.size(); l++) {
      out.append(format(lines.get(l), widths)).append('\n');
      if (l == 0) {
        List<String> rule = new ArrayList<>();
        for (int w : widths) {
          rule.add("-".repeat(w));
        }
        out.append(String.join("-+-", rule)).append('\n');
      }
    }
    return out.toString();
  }

  /** {@code text} cut at spaces into lines of at most {@link #MAX_CELL_WIDTH} where it can be. */
  static List<String> wrap(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > MAX_CELL_WIDTH) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    lines.add(line.toString());
    return lines;
  }

  private static String format(List<String> cells, int[] widths) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        s.append(" | ");
      }
      // The last column unpadded: no trailing blanks, but an empty cell keeps its separator.
      s.append(
          i == cells.size() - 1
              ? cells.get(i)
              : String.format("%-" + widths[i] + "s", cells.get(i)));
    }
    return s.toString();
  }

  private static String expected(MigrationReport r) {
    return r.rounds().isEmpty() || r.expectedDowntimeMillis() == Long.MAX_VALUE
        ? "-"
        : r.expectedDowntimeMillis() + " ms";
  }

  private static String continuity(DemoResult r) {
    var c = r.report().outputContinuity();
    String lines =
        c.firstTargetLine() == 0
            ? r.report().sourceNode() + " to line " + c.lastSourceLine()
            : r.report().sourceNode()
                + " to line "
                + c.lastSourceLine()
                + ", "
                + r.report().targetNode()
                + " from "
                + c.firstTargetLine();
    return (r.outputContinuous() ? "yes" : "NO") + " (" + lines + ")";
  }
}
