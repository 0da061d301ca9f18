package org.crtrmotion.ops.load;

import java.util.Locale;

/**
 * What the load client saw: requests sent; distinct requests answered correctly; lost (never
 * answered); duplicated (answered again); wrong (answered with the wrong sequence, key or value);
 * latency percentiles over first replies; the longest time without any reply between the first
 * request and the last reply (the downtime a client notices).
 */
public record LoadReport(
    long sent,
    long replies,
    long lost,
    long duplicated,
    long wrong,
    double p50Millis,
    double p90Millis,
    double p99Millis,
    double maxMillis,
    double longestGapMillis,
    String firstProblem) {

  public boolean clean() {
    return lost == 0 && duplicated == 0 && wrong == 0;
  }

  public String text() {
    return String.format(
        Locale.ROOT,
        "sent %d, replies %d, lost %d, duplicated %d, wrong %d; latency p50 %.3f ms, p90 %.3f ms,"
            + " p99 %.3f ms, max %.3f ms; longest gap without replies %.3f ms%s",
        sent,
        replies,
        lost,
        duplicated,
        wrong,
        p50Millis,
        p90Millis,
        p99Millis,
        maxMillis,
        longestGapMillis,
        firstProblem == null ? "" : "; first problem: " + firstProblem);
  }

  public String json() {
    return String.format(
        Locale.ROOT,
        "{\"sent\":%d,\"replies\":%d,\"lost\":%d,\"duplicated\":%d,\"wrong\":%d,"
            + "\"latencyMillis\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f},"
            + "\"longestGapMillis\":%.3f%s}",
        sent,
        replies,
        lost,
        duplicated,
        wrong,
        p50Millis,
        p90Millis,
        p99Millis,
        maxMillis,
        longestGapMillis,
        firstProblem == null ? "" : ",\"firstProblem\":\"" + escape(firstProblem) + "\"");
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}
