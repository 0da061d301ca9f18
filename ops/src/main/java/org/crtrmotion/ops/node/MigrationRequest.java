package org.crtrmotion.ops.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import org.crtrmotion.actors.migration.AutoConverge;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.NonConvergencePolicy;
import org.crtrmotion.actors.migration.Strategy;

/**
 * The body of {@code POST /api/v1/migrations}, named as QEMU names the parameters: {@code {"vmId":
 * "a-vm-1", "targetNode": "b", "strategy": "crtr" | "precopy", "downtimeLimitMillis": 300,
 * "maxBandwidth": 134217728 | "128M", "autoConverge": true, "maxRounds": 30, "deadlineSeconds":
 * 600}}; only {@code vmId} and {@code targetNode} are required, the rest defaults to {@link
 * MigrationParameters#defaults}. {@code autoConverge: false} aborts a migration that does not
 * converge instead of throttling the source. A malformed body is refused naming the field.
 */
record MigrationRequest(String vmId, String targetNode, MigrationParameters parameters) {

  private static final List<String> FIELDS =
      List.of(
          "vmId",
          "targetNode",
          "strategy",
          "downtimeLimitMillis",
          "maxBandwidth",
          "autoConverge",
          "maxRounds",
          "deadlineSeconds");

  static MigrationRequest parse(String body) throws StartRequest.Malformed {
    JsonNode root;
    try {
      root = ApiResponses.JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new StartRequest.Malformed("body is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new StartRequest.Malformed(
          "body must be a JSON object with at least \"vmId\" and \"targetNode\"");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field)) {
        throw new StartRequest.Malformed(
            "field '" + field + "': unknown (known: " + String.join(", ", FIELDS) + ")");
      }
    }
    String vmId = requiredText(root, "vmId");
    String target = requiredText(root, "targetNode");
    MigrationParameters p = MigrationParameters.defaults(strategy(root.get("strategy")));
    JsonNode v;
    if ((v = present(root, "downtimeLimitMillis")) != null) {
      p = p.withDowntimeLimit(Duration.ofMillis(positive(v, "downtimeLimitMillis")));
    }
    if ((v = present(root, "maxBandwidth")) != null) {
      p = p.withMaxBandwidth(bandwidth(v));
    }
    if ((v = present(root, "autoConverge")) != null) {
      if (!v.isBoolean()) {
        throw new StartRequest.Malformed("field 'autoConverge': must be true or false, was " + v);
      }
      p =
          v.asBoolean()
              ? p.withAutoConverge(AutoConverge.QEMU_DEFAULTS)
                  .withNonConvergencePolicy(NonConvergencePolicy.THROTTLE)
              : p.withNonConvergencePolicy(NonConvergencePolicy.ABORT);
    }
    if ((v = present(root, "maxRounds")) != null) {
      long rounds = positive(v, "maxRounds");
      if (rounds > Integer.MAX_VALUE) {
        throw new StartRequest.Malformed("field 'maxRounds': too large, was " + rounds);
      }
      p = p.withMaxRounds((int) rounds);
    }
    if ((v = present(root, "deadlineSeconds")) != null) {
      long seconds = positive(v, "deadlineSeconds");
      if (Duration.ofSeconds(seconds).compareTo(p.downtimeLimit()) <= 0) {
        throw new StartRequest.Malformed(
            "field 'deadlineSeconds': must be longer than the downtime limit, was " + seconds);
      }
      p = p.withDeadline(Duration.ofSeconds(seconds));
    }
    return new MigrationRequest(vmId, target, p);
  }

  private static JsonNode present(JsonNode root, String field) {
    JsonNode v = root.get(field);
    return v == null || v.isNull() ? null : v;
  }

  private static String requiredText(JsonNode root, String field) throws StartRequest.Malformed {
    JsonNode v = present(root, field);
    if (v == null) {
      throw new StartRequest.Malformed("field '" + field + "': missing");
    }
    if (!v.isTextual() || v.asText().isBlank()) {
      throw new StartRequest.Malformed(
          "field '" + field + "': must be a non-empty string, was " + v);
    }
    return v.asText();
  }

  private static Strategy strategy(JsonNode v) throws StartRequest.Malformed {
    if (v == null || v.isNull()) {
      return Strategy.CRTR;
    }
    if (!v.isTextual()) {
      throw new StartRequest.Malformed(
          "field 'strategy': must be \"crtr\" or \"precopy\", was " + v);
    }
    try {
      return Strategy.parse(v.asText());
    } catch (IllegalArgumentException e) {
      throw new StartRequest.Malformed("field 'strategy': " + e.getMessage());
    }
  }

  private static long positive(JsonNode v, String field) throws StartRequest.Malformed {
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() <= 0) {
      throw new StartRequest.Malformed(
          "field '" + field + "': must be a positive whole number, was " + v);
    }
    return v.asLong();
  }

  /** Bytes per second, as a number or a size such as "64M"; 0 means unlimited. */
  private static long bandwidth(JsonNode v) throws StartRequest.Malformed {
    if (v.isIntegralNumber() && v.canConvertToLong() && v.asLong() >= 0) {
      return v.asLong();
    }
    if (v.isTextual()) {
      return Sizes.parse(v.asText(), "maxBandwidth");
    }
    throw new StartRequest.Malformed(
        "field 'maxBandwidth': must be bytes per second (0 = unlimited) or a size such as \"64M\","
            + " was "
            + v);
  }
}
