package org.crtrmotion.ops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import picocli.CommandLine.Option;

/**
 * The {@code --json} option of the local commands, as a picocli mixin, and the few helpers they
 * share to build their one JSON object. The object goes to stdout, except where stdout carries a
 * guest's console ({@code run}, {@code record}, {@code replay}): there it replaces the summary on
 * stderr, so that the console stays byte for byte what the guest wrote. Errors stay one plain line
 * on stderr either way, with the same exit code.
 */
public final class JsonOption {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Option(
      names = "--json",
      description =
          "print the result as one JSON object on one line (on stderr where stdout is the guest's"
              + " console)")
  boolean enabled;

  public boolean enabled() {
    return enabled;
  }

  /** A new, empty object; members keep the order they are put in. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** The object on one line, as the commands print it. */
  public static String line(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write JSON", e);
    }
  }

  /**
   * Puts a measured figure, or null when it has none (a ratio over a zero time): JSON has no NaN or
   * infinity, and a script should see "not measured" rather than a parse error.
   */
  public static ObjectNode number(ObjectNode node, String name, double value) {
    if (Double.isFinite(value)) {
      node.put(name, value);
    } else {
      node.putNull(name);
    }
    return node;
  }
}
