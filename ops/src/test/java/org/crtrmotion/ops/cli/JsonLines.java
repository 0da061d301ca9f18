package org.crtrmotion.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.List;

/** Reads the one JSON object a command printed with {@code --json} among other lines. */
final class JsonLines {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonLines() {}

  /** The only line of {@code text} that is a JSON object, parsed; fails unless there is one. */
  static JsonNode theObject(String text) {
    List<String> objects =
        Arrays.stream(text.split("\n")).map(String::strip).filter(l -> l.startsWith("{")).toList();
    assertEquals(1, objects.size(), "one JSON object line in:\n" + text);
    try {
      JsonNode node = MAPPER.readTree(objects.get(0));
      assertTrue(node.isObject(), objects.get(0));
      return node;
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + objects.get(0), e);
    }
  }

  /** Fails unless {@code node} has every member named, whatever their values. */
  static void assertHas(JsonNode node, String... names) {
    for (String name : names) {
      assertTrue(node.has(name), "'" + name + "' missing from " + node);
    }
  }
}
