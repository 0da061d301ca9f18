package org.crtrmotion.ops.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

  @Test
  void stringsAreEscapedSoThatTheyReadBackUnchanged() {
    String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 sep \u2028 é";
    String json = new JsonWriter().beginObject().member("reason", nasty).endObject().toString();
    assertEquals(Map.of("reason", nasty), MiniJson.parse(json));
  }

  @Test
  void controlCharactersAreWrittenAsUnicodeEscapes() {
    String json = new JsonWriter().value("a\u0001b").toString();
    assertEquals("\"a\\u0001b\"", json);
  }

  @Test
  void nestedObjectsAndArraysGetTheirCommas() {
    String json =
        new JsonWriter()
            .beginObject()
            .name("reports")
            .beginArray()
            .beginObject()
            .member("n", 1)
            .member("ok", true)
            .name("inner")
            .beginObject()
            .member("x", -2)
            .endObject()
            .endObject()
            .beginObject()
            .member("n", 2)
            .name("empty")
            .beginArray()
            .endArray()
            .endObject()
            .endArray()
            .member("null", (String) null)
            .endObject()
            .toString();
    assertEquals(
        "{\"reports\":[{\"n\":1,\"ok\":true,\"inner\":{\"x\":-2}},{\"n\":2,\"empty\":[]}],"
            + "\"null\":null}",
        json);
    Map<?, ?> parsed = (Map<?, ?>) MiniJson.parse(json);
    assertEquals(2, ((List<?>) parsed.get("reports")).size());
  }

  @Test
  void aTreeOfMapsAndListsIsWrittenInTheMapsOrder() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("b", 1L);
    tree.put("a", List.of(true, "x", 2));
    tree.put("n", null);
    assertEquals(
        "{\"b\":1,\"a\":[true,\"x\",2],\"n\":null}", new JsonWriter().tree(tree).toString());
  }

  @Test
  void aValueJsonCannotHoldIsRefusedNamingItsType() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new JsonWriter().tree(1.5));
    assertTrue(e.getMessage().contains("java.lang.Double"), e.getMessage());
  }
}
