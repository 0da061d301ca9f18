package org.crtrmotion.ops.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader for the tests (ops has no JSON library): objects as maps, arrays as lists,
 * numbers as Long (the demo writes integers only), strings, booleans, null. Anything else, or text
 * after the value, fails with the position.
 */
final class MiniJson {
  private final String s;
  private int i;

  private MiniJson(String s) {
    this.s = s;
  }

  static Object parse(String text) {
    MiniJson p = new MiniJson(text);
    Object v = p.value();
    p.skipSpace();
    if (p.i != text.length()) {
      throw p.error("text after the value");
    }
    return v;
  }

  private Object value() {
    skipSpace();
    if (i >= s.length()) {
      throw error("end of text");
    }
    char c = s.charAt(i);
    return switch (c) {
      case '{' -> object();
      case '[' -> array();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private Map<String, Object> object() {
    Map<String, Object> m = new LinkedHashMap<>();
    i++;
    skipSpace();
    if (peek() == '}') {
      i++;
      return m;
    }
    while (true) {
      skipSpace();
      String name = string();
      skipSpace();
      expect(':');
      if (m.put(name, value()) != null) {
        throw error("duplicate member " + name);
      }
      skipSpace();
      if (peek() == '}') {
        i++;
        return m;
      }
      expect(',');
    }
  }

  private List<Object> array() {
    List<Object> l = new ArrayList<>();
    i++;
    skipSpace();
    if (peek() == ']') {
      i++;
      return l;
    }
    while (true) {
      l.add(value());
      skipSpace();
      if (peek() == ']') {
        i++;
        return l;
      }
      expect(',');
    }
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (true) {
      char c = s.charAt(i++);
      if (c == '"') {
        return b.toString();
      }
      if (c < 0x20) {
        throw error("raw control character in a string");
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case '"', '\\', '/' -> b.append(e);
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
          i += 4;
        }
        default -> throw error("bad escape \\" + e);
      }
    }
  }

  private Object literal(String word, Object v) {
    if (!s.startsWith(word, i)) {
      throw error("expected " + word);
    }
    i += word.length();
    return v;
  }

  private Long number() {
    int start = i;
    if (peek() == '-') {
      i++;
    }
    while (i < s.length() && Character.isDigit(s.charAt(i))) {
      i++;
    }
    if (start == i) {
      throw error("unexpected character");
    }
    return Long.parseLong(s.substring(start, i));
  }

  private char peek() {
    return i < s.length() ? s.charAt(i) : '\0';
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("expected '" + c + "'");
    }
    i++;
  }

  private void skipSpace() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what + " at " + i + " in: " + s);
  }
}
