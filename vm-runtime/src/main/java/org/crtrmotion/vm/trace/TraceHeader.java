package org.crtrmotion.vm.trace;

import static org.crtrmotion.vm.trace.TraceFormatException.Problem.CORRUPT;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.FOREIGN_VERSION;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.MALFORMED;
import static org.crtrmotion.vm.trace.TraceFormatException.Problem.NOT_A_TRACE;

import java.util.Locale;
import java.util.Objects;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.time.TimeMode;
import org.crtrmotion.vm.trace.proto.TraceProto;

/**
 * What a trace was recorded on and where it starts: enough for a reader to refuse a trace that does
 * not belong to the machine it is about to replay.
 *
 * @param machine the board, {@link #VIRT}
 * @param ramBytes size of guest RAM
 * @param timeMode where guest time came from while recording
 * @param startIcount retired instructions at the checkpoint the trace starts from
 */
public record TraceHeader(String machine, long ramBytes, TimeMode timeMode, long startIcount) {
  /** The board vm-runtime emulates. */
  public static final String VIRT = "riscv64-virt";

  private static final long NONE = TraceFormatException.NO_SEGMENT;

  public TraceHeader {
    Objects.requireNonNull(machine, "machine");
    Objects.requireNonNull(timeMode, "timeMode");
    if (machine.isEmpty()) {
      throw new IllegalArgumentException("machine must be named");
    }
    if (!MachineConfig.isRamSize(ramBytes)) {
      // Checked before anything is sized from it: a reader must not size buffers from a hostile
      // header.
      throw new IllegalArgumentException(
          "ram_bytes "
              + ramBytes
              + " is not a RAM size a machine may have (whole 4 KiB pages, "
              + MachineConfig.MIN_RAM_BYTES
              + " to "
              + MachineConfig.MAX_RAM_BYTES
              + " bytes)");
    }
    if (startIcount < 0) {
      throw new IllegalArgumentException("start instruction count " + startIcount + " < 0");
    }
  }

  public static TraceHeader virt(long ramBytes, TimeMode timeMode, long startIcount) {
    return new TraceHeader(VIRT, ramBytes, timeMode, startIcount);
  }

  public TraceProto.TraceHeader toProto() {
    String mode = modeName(timeMode);
    return TraceProto.TraceHeader.newBuilder()
        .setMagic(TraceFormat.MAGIC)
        .setFormatVersion(TraceFormat.VERSION)
        .setMachine(machine)
        .setRamBytes(ramBytes)
        .setTimeMode(mode)
        .setStartIcount(startIcount)
        .setCrc32C(
            Checksums.header(
                TraceFormat.MAGIC, TraceFormat.VERSION, machine, ramBytes, mode, startIcount))
        .build();
  }

  /** Magic, then version (its meaning decides the rest), then fields, then the checksum. */
  public static TraceHeader fromProto(TraceProto.TraceHeader p) throws TraceFormatException {
    if (!p.getMagic().equals(TraceFormat.MAGIC)) {
      throw new TraceFormatException(
          NOT_A_TRACE,
          NONE,
          "not a crtr trace: its header does not start with " + TraceFormat.MAGIC);
    }
    if (p.getFormatVersion() != TraceFormat.VERSION) {
      throw new TraceFormatException(
          FOREIGN_VERSION,
          NONE,
          "trace format version "
              + Integer.toUnsignedString(p.getFormatVersion())
              + "; this reader reads version "
              + TraceFormat.VERSION);
    }
    if (!p.getUnknownFields().asMap().isEmpty()) {
      throw new TraceFormatException(
          MALFORMED,
          NONE,
          "the trace header carries fields "
              + p.getUnknownFields().asMap().keySet()
              + ", which trace format version "
              + TraceFormat.VERSION
              + " does not define");
    }
    int actual =
        Checksums.header(
            p.getMagic(),
            p.getFormatVersion(),
            p.getMachine(),
            p.getRamBytes(),
            p.getTimeMode(),
            p.getStartIcount());
    if (actual != p.getCrc32C()) {
      throw new TraceFormatException(
          CORRUPT,
          NONE,
          "the trace header is corrupt: checksum "
              + Checksums.hex(actual)
              + " computed, "
              + Checksums.hex(p.getCrc32C())
              + " stored");
    }
    TimeMode mode = parseMode(p.getTimeMode());
    try {
      return new TraceHeader(p.getMachine(), p.getRamBytes(), mode, p.getStartIcount());
    } catch (IllegalArgumentException e) {
      throw new TraceFormatException(
          MALFORMED, NONE, "the trace header is malformed: " + e.getMessage(), e);
    }
  }

  private static String modeName(TimeMode mode) {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  private static TimeMode parseMode(String name) throws TraceFormatException {
    for (TimeMode mode : TimeMode.values()) {
      if (modeName(mode).equals(name)) {
        return mode;
      }
    }
    throw new TraceFormatException(
        MALFORMED, NONE, "the trace header names time mode \"" + name + "\", which is not known");
  }
}
