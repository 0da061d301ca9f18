package org.crtrmotion.vm.trace;

/**
 * The guest time a trace shows: from the first to the last clock value its events carry (time reads
 * and WFI wake-ups), in mtime ticks. A trace that carries none (virtual time) has no span.
 */
public record GuestTimeSpan(long firstMtime, long lastMtime) {
  public static final GuestTimeSpan NONE = new GuestTimeSpan(-1, -1);

  public static GuestTimeSpan of(Iterable<InputEvent> events) {
    long first = -1;
    long last = -1;
    for (InputEvent e : events) {
      if (e.kind() == EventKind.TIME_READ || e.kind() == EventKind.WFI_WAKE) {
        first = first < 0 ? e.value() : first;
        last = e.value();
      }
    }
    return new GuestTimeSpan(first, last);
  }

  /** Whether the span covers any guest time at all. */
  public boolean isEmpty() {
    return firstMtime < 0 || lastMtime <= firstMtime;
  }

  public double seconds() {
    return isEmpty() ? 0 : (lastMtime - firstMtime) / 1e7;
  }
}
