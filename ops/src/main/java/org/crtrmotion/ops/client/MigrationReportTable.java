package org.crtrmotion.ops.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** A migration report (the API's JSON) as a table for people: the figures, then the rounds. */
final class MigrationReportTable {
  private MigrationReportTable() {}

  static void print(JsonNode r, PrintWriter out) {
    row(out, "migration", r.path("migrationId").asText());
    row(
        out,
        "vm",
        r.path("vmId").asText()
            + "  "
            + r.path("source").asText()
            + " -> "
            + r.path("target").asText());
    row(out, "strategy", r.path("strategy").asText());
    row(out, "outcome", r.path("outcome").asText());
    if (!r.path("reason").asText().isEmpty()) {
      row(out, "reason", r.path("reason").asText());
    }
    long expected = r.path("expectedDowntimeMillis").asLong(-1);
    row(
        out,
        "downtime",
        r.path("downtimeMillis").asLong()
            + " ms"
            + (expected < 0 ? "" : " (expected " + expected + " ms)"));
    row(out, "total time", r.path("totalTimeMillis").asLong() + " ms");
    row(out, "setup time", r.path("setupTimeMillis").asLong() + " ms");
    JsonNode kinds = r.path("bytesByKind");
    row(
        out,
        "bytes",
        r.path("bytesTotal").asLong()
            + " (checkpoint "
            + kinds.path("checkpoint").asLong()
            + ", trace "
            + kinds.path("trace").asLong()
            + ", pages "
            + kinds.path("pages").asLong()
            + ", control "
            + kinds.path("control").asLong()
            + ")");
    row(out, "rounds", Integer.toString(r.path("rounds").asInt()));
    row(out, "digest", r.path("digestCheck").asText());
    row(out, "max throttle", r.path("maxThrottlePercent").asInt() + " %");
    row(
        out,
        "console",
        (r.path("outputContinuous").asBoolean() ? "continuous" : "NOT continuous")
            + " (source's last line "
            + r.path("lastSourceLine").asLong()
            + ", target's first "
            + r.path("firstTargetLine").asLong()
            + ")");
    JsonNode rounds = r.path("roundDetails");
    if (rounds.size() > 0) {
      out.println();
      out.printf(
          "%5s %12s %12s %14s %14s %10s%n",
          "ROUND", "BYTES", "BACKLOG", "LAG (instr)", "LINK (B/s)", "EXPECTED");
      for (JsonNode round : rounds) {
        long e = round.path("expectedDowntimeMillis").asLong(-1);
        out.printf(
            "%5d %12d %12d %14d %14d %10s%n",
            round.path("round").asInt(),
            round.path("bytesSent").asLong(),
            round.path("backlogBytes").asLong(),
            round.path("lagInstructions").asLong(),
            round.path("linkBytesPerSecond").asLong(),
            e < 0 ? "-" : e + " ms");
      }
    }
  }

  private static void row(PrintWriter out, String name, String value) {
    out.printf("%-13s %s%n", name, value);
  }
}
