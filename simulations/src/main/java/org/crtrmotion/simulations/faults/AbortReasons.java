package org.crtrmotion.simulations.faults;

import java.util.List;
import java.util.Locale;

/**
 * Puts an abort's reason into a few classes for the table: the full text stays in the run's log.
 */
final class AbortReasons {
  private record Rule(String contains, String label) {}

  // First match wins: specific causes before the phase that carried them.
  private static final List<Rule> RULES =
      List.of(
          new Rule("cancelled", "cancelled"),
          new Rule("digest mismatch", "digest mismatch"),
          new Rule("corrupt", "corrupt stream"),
          new Rule("not resumed", "stream not resumed"),
          new Rule("deadline", "deadline"),
          new Rule("not converging", "not converging"),
          new Rule("refused", "refused"),
          new Rule("no answer from node", "target silent at prepare"),
          new Rule("terminated", "target gone"),
          new Rule("target failed", "target failed"),
          new Rule("stream failed", "stream failed"),
          new Rule("did not", "a peer did not answer"));

  private AbortReasons() {}

  static String classify(String reason) {
    String r = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
    for (Rule rule : RULES) {
      if (r.contains(rule.contains())) {
        return rule.label();
      }
    }
    return "other";
  }
}
