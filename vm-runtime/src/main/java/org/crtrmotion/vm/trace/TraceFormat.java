package org.crtrmotion.vm.trace;

/** The constants of the trace format: its identity and what a reader accepts. */
public final class TraceFormat {
  /** The header's first field in every version. */
  public static final String MAGIC = "CRTRTRC";

  /** The version this code writes and the only one it reads. */
  public static final int VERSION = 1;

  /** A header is a few dozen bytes; anything near this is not a header. */
  public static final int MAX_HEADER_BYTES = 64 << 10;

  /** The largest {@code events} field a reader accepts in one segment. */
  public static final int MAX_SEGMENT_EVENT_BYTES = 4 << 20;

  /** The most events a reader accepts in one segment. */
  public static final int MAX_SEGMENT_EVENTS = 1 << 20;

  /** The largest PACKET payload: a 64 KiB GSO frame with room to spare. */
  public static final int MAX_PACKET_BYTES = 1 << 20;

  /** A segment's fields other than {@code events} take at most 50 bytes; this leaves slack. */
  static final int MAX_SEGMENT_MESSAGE_BYTES = MAX_SEGMENT_EVENT_BYTES + 256;

  private TraceFormat() {}
}
