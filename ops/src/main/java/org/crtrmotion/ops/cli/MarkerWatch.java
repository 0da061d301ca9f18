package org.crtrmotion.ops.cli;

import java.nio.charset.StandardCharsets;

/** Watches a byte stream for the first appearance of a marker, remembering what came through. */
final class MarkerWatch {
  private final byte[] marker;
  private final StringBuilder seen = new StringBuilder();
  private int matched;
  private boolean found;

  MarkerWatch(String marker) {
    this.marker = marker.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Takes one byte; returns true exactly once, on the byte that completes the marker. */
  boolean feed(int b) {
    seen.append((char) (b & 0xff));
    if (found) {
      return false;
    }
    // Markers here have no repeated prefix, so a mismatch can restart the match from scratch.
    matched = (byte) b == marker[matched] ? matched + 1 : ((byte) b == marker[0] ? 1 : 0);
    if (matched == marker.length) {
      found = true;
      return true;
    }
    return false;
  }

  boolean found() {
    return found;
  }

  String seen() {
    return seen.toString();
  }
}
