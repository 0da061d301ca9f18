package org.crtrmotion.vm.trace;

import java.util.Arrays;
import java.util.Objects;

/**
 * One non-deterministic input to the machine, taking effect after {@code instructionCount}
 * instructions have retired.
 *
 * <p>{@code bytes} is empty for every kind but {@link EventKind#PACKET}. It is not copied: the
 * array belongs to the event from then on and must not be changed.
 *
 * @param instructionCount retired instructions when the input takes effect
 * @param kind what the input is
 * @param value the kind's scalar (see {@link EventKind})
 * @param bytes the kind's payload, empty for all but {@link EventKind#PACKET}
 */
public record InputEvent(long instructionCount, EventKind kind, long value, byte[] bytes) {
  /** mip is 64 bits wide. */
  public static final int MAX_IRQ_LINE = 63;

  private static final byte[] NO_BYTES = new byte[0];

  public InputEvent {
    Objects.requireNonNull(kind, "kind");
    if (bytes == null) {
      bytes = NO_BYTES;
    }
    if (instructionCount < 0) {
      throw new IllegalArgumentException(
          "instruction count must not be negative, not " + instructionCount);
    }
    String problem = payloadProblem(kind, value, bytes.length);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  public static InputEvent timeRead(long instructionCount, long mtime) {
    return new InputEvent(instructionCount, EventKind.TIME_READ, mtime, NO_BYTES);
  }

  public static InputEvent irqLine(long instructionCount, int line, boolean level) {
    return irqLine(instructionCount, line, level, false, 0);
  }

  /**
   * A line change placed exactly: between instructions after {@code traps} traps since reset (a
   * trap moves the pc without retiring, so the count alone is ambiguous there), or during the
   * instruction at that count (a guest write to the device changed it).
   */
  public static InputEvent irqLine(
      long instructionCount, int line, boolean level, boolean duringInstruction, long traps) {
    return new InputEvent(
        instructionCount,
        EventKind.IRQ_LINE,
        packIrq(line, level, duringInstruction, traps),
        NO_BYTES);
  }

  public static InputEvent consoleInput(long instructionCount, int unsignedByte) {
    return consoleInput(instructionCount, unsignedByte, 0);
  }

  /** A byte the UART received between instructions, after {@code traps} traps since reset. */
  public static InputEvent consoleInput(long instructionCount, int unsignedByte, long traps) {
    return new InputEvent(
        instructionCount, EventKind.CONSOLE_INPUT, packConsole(unsignedByte, traps), NO_BYTES);
  }

  static long packConsole(int unsignedByte, long traps) {
    if (unsignedByte < 0 || unsignedByte > 0xff) {
      throw new IllegalArgumentException(
          "console input " + unsignedByte + " is not a byte (0 to 255)");
    }
    if (traps < 0 || traps > (Long.MAX_VALUE >>> 8)) {
      throw new IllegalArgumentException("trap count " + traps + " is out of range");
    }
    return traps << 8 | unsignedByte;
  }

  /** For {@link EventKind#CONSOLE_INPUT}: the byte received. */
  public int consoleByte() {
    return (int) value & 0xff;
  }

  public static InputEvent wfiWake(long instructionCount, long mtime) {
    return new InputEvent(instructionCount, EventKind.WFI_WAKE, mtime, NO_BYTES);
  }

  /** The frame is not copied. */
  public static InputEvent packet(long instructionCount, int device, byte[] frame) {
    Objects.requireNonNull(frame, "frame");
    return new InputEvent(instructionCount, EventKind.PACKET, device, frame);
  }

  /**
   * A PACKET's value: the device index (the virtio slot, 0 to 255) and the low 23 bits of the trap
   * count when it arrived between instructions. The trap count only tells apart the moments around
   * a trap at one instruction count, which 23 bits do.
   */
  public static long packPacket(int device, long traps) {
    if (device < 0 || device > 0xff) {
      throw new IllegalArgumentException("packet device index " + device + " is not 0 to 255");
    }
    return (traps & PACKET_TRAPS_MASK) << 8 | device;
  }

  /** For {@link EventKind#PACKET}: the device index. */
  public int packetDevice() {
    return (int) value & 0xff;
  }

  /** For {@link EventKind#PACKET}: whether it arrived after {@code traps} traps since reset. */
  public boolean packetAfterTraps(long traps) {
    return (value >>> 8) == (traps & PACKET_TRAPS_MASK);
  }

  private static final long PACKET_TRAPS_MASK = (1L << 23) - 1;

  /** For {@link EventKind#IRQ_LINE}: the mip bit that changed. */
  public int line() {
    return (int) (value >>> 1) & MAX_IRQ_LINE;
  }

  /** For {@link EventKind#IRQ_LINE}: changed during the instruction, not between two. */
  public boolean duringInstruction() {
    return (value & DURING) != 0;
  }

  /**
   * For {@link EventKind#IRQ_LINE} and {@link EventKind#CONSOLE_INPUT}: traps taken since reset.
   */
  public long traps() {
    return value >>> TRAPS_SHIFT;
  }

  /** For {@link EventKind#IRQ_LINE}: the level the line changed to. */
  public boolean level() {
    return (value & 1) != 0;
  }

  private static final long DURING = 1L << 7;
  private static final int TRAPS_SHIFT = 8;

  /** {@code traps << 8 | during << 7 | line << 1 | level}. */
  static long packIrq(int line, boolean level, boolean duringInstruction, long traps) {
    if (line < 0 || line > MAX_IRQ_LINE) {
      throw new IllegalArgumentException(
          "interrupt line " + line + " is not a mip bit (0 to " + MAX_IRQ_LINE + ")");
    }
    if (traps < 0 || traps > (Long.MAX_VALUE >>> TRAPS_SHIFT)) {
      throw new IllegalArgumentException("trap count " + traps + " is out of range");
    }
    return traps << TRAPS_SHIFT
        | (duringInstruction ? DURING : 0)
        | ((long) line << 1)
        | (level ? 1 : 0);
  }

  /**
   * What is wrong with a kind's value and payload length, or null. One rule set for the event
   * constructor, the writer's allocation-free methods and the decoder.
   */
  static String payloadProblem(EventKind kind, long value, int byteCount) {
    if (kind != EventKind.PACKET && byteCount != 0) {
      return kind + " carries no bytes, but " + byteCount + " were given";
    }
    switch (kind) {
      case IRQ_LINE:
        return value < 0
            ? "IRQ_LINE value " + value + " does not pack a line, a level, a phase and a trap count"
            : null;
      case CONSOLE_INPUT:
        return value < 0
            ? "CONSOLE_INPUT value " + value + " does not pack a byte and a trap count"
            : null;
      case PACKET:
        if (value < 0 || value > Integer.MAX_VALUE) {
          return "PACKET device index " + value + " is out of range";
        }
        return byteCount > TraceFormat.MAX_PACKET_BYTES
            ? "a PACKET of "
                + byteCount
                + " bytes is above the "
                + TraceFormat.MAX_PACKET_BYTES
                + " a trace carries"
            : null;
      default:
        return null; // an mtime: every 64-bit value is one
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputEvent e
        && e.instructionCount == instructionCount
        && e.kind == kind
        && e.value == value
        && Arrays.equals(e.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(instructionCount, kind, value, Arrays.hashCode(bytes));
  }

  @Override
  public String toString() {
    String payload =
        switch (kind) {
          case IRQ_LINE ->
              "line "
                  + line()
                  + (level() ? " high" : " low")
                  + (duringInstruction() ? " during" : " after " + traps() + " traps");
          case PACKET -> "device " + value + ", " + bytes.length + " bytes";
          default -> Long.toString(value);
        };
    return kind + "@" + instructionCount + "(" + payload + ")";
  }
}
