package org.crtrmotion.ops.node;

/** Sizes in request bodies: bytes with an optional K, M or G (powers of 1024), e.g. "64M". */
final class Sizes {
  private Sizes() {}

  /** The bytes {@code text} names; a bad size is refused naming {@code field}. */
  static long parse(String text, String field) throws StartRequest.Malformed {
    String t = text.trim().toUpperCase().replace("IB", "").replace("B", "").replace(" ", "");
    long unit = 1;
    if (!t.isEmpty() && "KMG".indexOf(t.charAt(t.length() - 1)) >= 0) {
      unit = 1L << (10 * ("KMG".indexOf(t.charAt(t.length() - 1)) + 1));
      t = t.substring(0, t.length() - 1);
    }
    try {
      long n = Long.parseLong(t);
      if (n <= 0 || n > Long.MAX_VALUE / unit) {
        throw new StartRequest.Malformed("field '" + field + "': out of range: \"" + text + "\"");
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new StartRequest.Malformed(
          "field '" + field + "': not a size: \"" + text + "\" (e.g. \"64M\", \"1G\")");
    }
  }
}
