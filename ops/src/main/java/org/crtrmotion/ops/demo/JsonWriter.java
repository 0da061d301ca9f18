package org.crtrmotion.ops.demo;

import java.util.Map;

/**
 * A small JSON writer: objects, arrays, strings with RFC 8259 escaping, integers and booleans,
 * written compactly, either call by call or as a whole tree of maps and lists. Commas are placed by
 * the writer; the caller only nests correctly.
 */
final class JsonWriter {
  private final StringBuilder out = new StringBuilder();
  private boolean needComma;

  JsonWriter beginObject() {
    separate();
    out.append('{');
    needComma = false;
    return this;
  }

  JsonWriter endObject() {
    out.append('}');
    needComma = true;
    return this;
  }

  JsonWriter beginArray() {
    separate();
    out.append('[');
    needComma = false;
    return this;
  }

  JsonWriter endArray() {
    out.append(']');
    needComma = true;
    return this;
  }

  /** The name of the next member of the object being written. */
  JsonWriter name(String name) {
    separate();
    quote(name);
    out.append(':');
    needComma = false;
    return this;
  }

  JsonWriter value(String value) {
    separate();
    if (value == null) {
      out.append("null");
    } else {
      quote(value);
    }
    needComma = true;
    return this;
  }

  JsonWriter value(long value) {
    separate();
    out.append(value);
    needComma = true;
    return this;
  }

  JsonWriter value(boolean value) {
    separate();
    out.append(value);
    needComma = true;
    return this;
  }

  /**
   * A tree: a {@link Map} as an object (string keys, in the map's order), an {@link Iterable} as an
   * array, strings, integral numbers, booleans and null as themselves.
   */
  JsonWriter tree(Object value) {
    if (value == null || value instanceof String) {
      return value((String) value);
    }
    if (value instanceof Boolean b) {
      return value(b.booleanValue());
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short) {
      return value(((Number) value).longValue());
    }
    if (value instanceof Map<?, ?> map) {
      beginObject();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException("JSON object key is not a string: " + e.getKey());
        }
        name(key).tree(e.getValue());
      }
      return endObject();
    }
    if (value instanceof Iterable<?> items) {
      beginArray();
      items.forEach(this::tree);
      return endArray();
    }
    throw new IllegalArgumentException(
        "cannot write a " + value.getClass().getName() + " as JSON: " + value);
  }

  JsonWriter member(String name, String value) {
    return name(name).value(value);
  }

  JsonWriter member(String name, long value) {
    return name(name).value(value);
  }

  JsonWriter member(String name, boolean value) {
    return name(name).value(value);
  }

  @Override
  public String toString() {
    return out.toString();
  }

  private void separate() {
    if (needComma) {
      out.append(',');
      needComma = false;
    }
  }

  private void quote(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          // Other control characters, and the line separators JavaScript cannot take raw.
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
