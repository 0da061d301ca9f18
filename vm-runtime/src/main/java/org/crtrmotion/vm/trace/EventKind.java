package org.crtrmotion.vm.trace;

/**
 * What an {@link InputEvent} delivers. Each kind has a wire tag that never changes and is never
 * reused; a newer writer adds kinds with new tags, and this reader refuses tags it does not know
 * rather than guessing how long their payload is.
 */
public enum EventKind {
  /** The guest read host time (mtime or the time CSR); value = the mtime ticks it saw. */
  TIME_READ(1),
  /** An interrupt line of the hart changed; value = {@code line << 1 | level}. */
  IRQ_LINE(2),
  /** The UART received a byte; value = the byte, 0 to 255. */
  CONSOLE_INPUT(3),
  /** The hart left WFI after idling; value = the mtime it woke at. */
  WFI_WAKE(4),
  /**
   * A network device received a packet; value = (traps mod 2^23) << 8 | the device index (see
   * {@link InputEvent#packPacket}), bytes = the frame.
   */
  PACKET(5);

  private static final EventKind[] BY_TAG;

  static {
    int highest = 0;
    for (EventKind kind : values()) {
      highest = Math.max(highest, kind.tag);
    }
    BY_TAG = new EventKind[highest + 1];
    for (EventKind kind : values()) {
      BY_TAG[kind.tag] = kind;
    }
  }

  private final int tag;

  EventKind(int tag) {
    this.tag = tag;
  }

  /** The number this kind is written as. */
  public int tag() {
    return tag;
  }

  /** The kind written as {@code tag}, or null when this reader does not know it. */
  public static EventKind ofTag(long tag) {
    return tag > 0 && tag < BY_TAG.length ? BY_TAG[(int) tag] : null;
  }

  /** The highest tag this reader knows, for messages about unknown ones. */
  static int highestTag() {
    return BY_TAG.length - 1;
  }

  /** Whether the value is an mtime, encoded as a delta from the segment's previous mtime. */
  boolean carriesMtime() {
    return this == TIME_READ || this == WFI_WAKE;
  }
}
