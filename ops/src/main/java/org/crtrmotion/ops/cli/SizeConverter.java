package org.crtrmotion.ops.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses sizes as QEMU's -m does: a number with an optional K, M or G suffix (default M). */
final class SizeConverter implements ITypeConverter<Long> {
  @Override
  public Long convert(String value) {
    String v = value.trim().toUpperCase();
    if (v.endsWith("B")) {
      v = v.substring(0, v.length() - 1);
    }
    long unit = 1L << 20;
    if (v.endsWith("K")) {
      unit = 1L << 10;
    } else if (v.endsWith("M")) {
      unit = 1L << 20;
    } else if (v.endsWith("G")) {
      unit = 1L << 30;
    }
    String digits =
        Character.isDigit(v.charAt(v.length() - 1)) ? v : v.substring(0, v.length() - 1);
    try {
      long n = Long.parseLong(digits);
      if (n <= 0 || n > Long.MAX_VALUE / unit) {
        throw new TypeConversionException("size out of range: " + value);
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new TypeConversionException(
          "not a size: '" + value + "' (expected e.g. 128M, 1G, 65536K)");
    }
  }
}
