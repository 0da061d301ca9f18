package org.crtrmotion.vm.state;

/**
 * A 128-bit hash of a machine's architectural state. Equal digests at equal instruction counts are
 * the proof that a replay is exact.
 */
public record StateDigest(long high, long low) {
  /** 32 hexadecimal digits, most significant first. */
  @Override
  public String toString() {
    return String.format("%016x%016x", high, low);
  }

  /** Parses the form {@link #toString()} writes. */
  public static StateDigest parse(String hex) {
    if (hex.length() != 32) {
      throw new IllegalArgumentException("a state digest is 32 hex digits, not '" + hex + "'");
    }
    return new StateDigest(
        Long.parseUnsignedLong(hex.substring(0, 16), 16),
        Long.parseUnsignedLong(hex.substring(16), 16));
  }
}
