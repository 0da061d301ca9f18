package org.crtrmotion.ops.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crtrmotion.ops.report.MigrationReportJson;

/**
 * The demo's reports as one JSON object {@code {"reports": [...]}}: each the report's members as
 * the node API writes them ({@link MigrationReportJson}), plus what only the demo knows: the
 * workload, its image and the console it saw across both nodes.
 */
final class ReportJson {
  private ReportJson() {}

  static String of(List<DemoResult> results) {
    JsonWriter w = new JsonWriter().beginObject().name("reports").beginArray();
    for (DemoResult r : results) {
      w.tree(members(r));
    }
    return w.endArray().endObject().toString();
  }

  private static Map<String, Object> members(DemoResult result) {
    Map<String, Object> m = MigrationReportJson.of(result.report());
    m.put("workload", result.workload().cliName());
    m.put("image", result.workload().image());
    // The demo's continuity also counts the console it printed, not only the report's lines.
    m.put("outputContinuous", result.outputContinuous());
    Map<String, Object> console = new LinkedHashMap<>();
    console.put("lines", result.console().printed());
    console.put("gaps", result.console().gaps());
    console.put("duplicates", result.console().duplicates());
    m.put("consoleSeen", console);
    return m;
  }
}
