package org.crtrmotion.ops.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.crtrmotion.guests.BundledGuests;
import org.crtrmotion.vm.input.TraceRecorder;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.machine.Machine;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.machine.RunResult;
import org.crtrmotion.vm.machine.StopReason;
import org.crtrmotion.vm.memory.GuestMemory;
import org.crtrmotion.vm.time.TimeMode;
import org.crtrmotion.vm.trace.InputEvent;
import org.crtrmotion.vm.trace.TraceFormatException;
import org.crtrmotion.vm.trace.TraceReader;
import org.crtrmotion.vm.trace.TraceSegment;
import org.crtrmotion.vm.trace.TraceWriter;

/**
 * What {@code bench streams} moves and compresses: the trace and the memory pages of real guests
 * recorded in host time, and a synthetic trace of network packets where a real one is too small to
 * time a transfer by.
 */
final class BenchCorpus {
  /** A guest recorded from boot to power-off: its trace and its memory at the end. */
  record Recording(String guest, List<TraceSegment> segments, long endIcount, Pages pages) {
    long traceBytes() {
      return segments.stream().mapToLong(TraceSegment::wireBytes).sum();
    }

    List<InputEvent> events() throws TraceFormatException {
      TraceReader reader = new TraceReader(0);
      List<InputEvent> events = new ArrayList<>();
      for (TraceSegment s : segments) {
        events.addAll(reader.accept(s));
      }
      return events;
    }
  }

  /** Non-zero pages as bytes; zero pages (never touched, or all zeros) only counted. */
  record Pages(List<byte[]> nonZero, long zeroPages) {}

  /** A trace to stream, and what it is. */
  record Trace(String label, List<TraceSegment> segments) {
    long bytes() {
      return segments.stream().mapToLong(TraceSegment::wireBytes).sum();
    }
  }

  private BenchCorpus() {}

  /** Runs a bundled bare-metal guest in host time, recording its inputs, to power-off. */
  static Recording bareMetal(String image, String bootargs) throws Exception {
    MachineConfig config =
        MachineConfig.defaults().withTimeMode(TimeMode.HOST).withBootargs(bootargs);
    byte[] elf = BundledGuests.read(image).orElseThrow();
    return record(image, Machine.boot(config, ElfLoader.parse(elf), b -> {}));
  }

  /** Boots the Linux guest behind OpenSBI in host time, recording its inputs, to power-off. */
  static Recording linux(Path kernel, String append) throws Exception {
    MachineConfig config =
        MachineConfig.defaults().withTimeMode(TimeMode.HOST).withBootargs(append);
    Machine m = Machine.boot(config, Firmware.plan(kernel, Firmware.defaultFirmware()), b -> {});
    return record("linux boot", m);
  }

  private static Recording record(String guest, Machine m) {
    List<TraceSegment> segments = new ArrayList<>();
    TraceWriter writer = new TraceWriter(0, segments::add);
    m.record(new TraceRecorder(writer));
    RunResult r = m.run(0);
    if (r.reason() != StopReason.POWER_OFF) {
      throw new IllegalStateException(guest + " did not power off: " + r.detail());
    }
    long end = m.instructionsRetired();
    writer.finish(end);
    return new Recording(guest, segments, end, pages(m.board().ram));
  }

  private static Pages pages(GuestMemory ram) {
    List<byte[]> nonZero = new ArrayList<>();
    long zero = 0;
    for (int i = 0; i < ram.pageCount(); i++) {
      byte[] page = ram.pageIfPresent(i);
      if (page == null || isZero(page)) {
        zero++;
      } else {
        nonZero.add(page.clone());
      }
    }
    return new Pages(nonZero, zero);
  }

  private static boolean isZero(byte[] page) {
    for (byte b : page) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * The recording's events replayed back to back, each copy shifted past the one before in
   * instruction count, until the trace holds at least {@code targetBytes}: real events in real
   * proportions, enough of them to time a transfer.
   */
  static Trace looped(Recording recording, long targetBytes) throws Exception {
    List<InputEvent> events = recording.events();
    if (events.isEmpty()) {
      throw new IllegalStateException(recording.guest() + " recorded no inputs");
    }
    List<TraceSegment> segments = new ArrayList<>();
    long[] bytes = {0};
    TraceWriter writer =
        new TraceWriter(
            0,
            s -> {
              segments.add(s);
              bytes[0] += s.wireBytes();
            });
    long span = recording.endIcount() + 1;
    long offset = 0;
    int copies = 0;
    while (bytes[0] < targetBytes) {
      for (InputEvent e : events) {
        writer.append(
            new InputEvent(e.instructionCount() + offset, e.kind(), e.value(), e.bytes()));
      }
      offset += span;
      copies++;
    }
    writer.finish(offset);
    return new Trace(recording.guest() + " trace looped x" + copies, segments);
  }

  /**
   * A synthetic trace of a guest receiving network traffic: per packet a clock read, the NIC's
   * interrupt raised and lowered, and a ~1.5 KiB frame (Ethernet, IPv4 and TCP headers with
   * counting fields, then text-like payload, so that it compresses like traffic rather than like
   * noise).
   */
  static Trace syntheticPackets(long targetBytes) {
    List<TraceSegment> segments = new ArrayList<>();
    long[] bytes = {0};
    TraceWriter writer =
        new TraceWriter(
            0,
            s -> {
              segments.add(s);
              bytes[0] += s.wireBytes();
            });
    Random random = new Random(42);
    long icount = 0;
    for (int n = 0; bytes[0] < targetBytes; n++) {
      icount += 5_000 + random.nextInt(20_000);
      writer.timeRead(icount, icount / 10);
      writer.irqLine(icount + 1, 8, true);
      writer.packet(icount + 2, 0, packet(n, random));
      writer.irqLine(icount + 400, 8, false);
      icount += 400;
    }
    writer.finish(icount + 1);
    return new Trace("synthetic 1.5 KiB packets", segments);
  }

  private static final String[] WORDS =
      ("GET POST HTTP/1.1 200 OK Content-Type: application/json; charset=utf-8 Host: example.org"
              + " {\"id\": \"vm\", \"status\": \"running\", \"bytes\": 4096, \"pages\": [1, 2, 3]}"
              + " Accept-Encoding gzip Connection keep-alive Cache-Control no-cache")
          .split(" ");

  private static byte[] packet(int n, Random random) {
    byte[] frame = new byte[1400 + random.nextInt(114)];
    // Ethernet: two fixed addresses, IPv4.
    for (int i = 0; i < 12; i++) {
      frame[i] = (byte) (0x52 + (i < 6 ? 0 : 1));
    }
    frame[12] = 0x08;
    // IPv4 and TCP headers: fixed fields with a counting id and sequence number.
    frame[14] = 0x45;
    frame[16] = (byte) (frame.length - 14 >> 8);
    frame[17] = (byte) (frame.length - 14);
    frame[18] = (byte) (n >> 8);
    frame[19] = (byte) n;
    frame[22] = 64;
    frame[23] = 6;
    for (int i = 38; i < 42; i++) {
      frame[i] = (byte) ((n * 1448) >> (8 * (41 - i)));
    }
    int at = 54;
    while (at < frame.length) {
      byte[] word = (WORDS[random.nextInt(WORDS.length)] + ' ').getBytes();
      int len = Math.min(word.length, frame.length - at);
      System.arraycopy(word, 0, frame, at, len);
      at += len;
    }
    return frame;
  }
}
