/**
 * The trace format: every non-deterministic input a machine receives from a checkpoint on, each
 * with the exact instruction count at which it took effect, so that a replayer fed the trace
 * follows the recording instruction for instruction.
 *
 * <h2>Events</h2>
 *
 * An {@link org.crtrmotion.vm.trace.InputEvent} is {@code (instructionCount, kind, value, bytes)}:
 * the input takes effect after {@code instructionCount} instructions have retired, before the next
 * one. A trace holds events in non-decreasing instruction count; several may share one, and their
 * order is kept. Kinds and their wire tags (a tag is never reused; a reader refuses tags it does
 * not know rather than guess their payload's length):
 *
 * <pre>
 * tag kind           value                         payload on the wire
 *  1  TIME_READ      mtime ticks the guest read    zig-zag varint: value - previous mtime
 *  2  IRQ_LINE       line &lt;&lt; 1 | level (mip bit)   varint: value (0 to 127)
 *  3  CONSOLE_INPUT  the byte the UART received    varint of traps << 8 | byte
 *  4  WFI_WAKE       mtime the hart woke at        zig-zag varint: value - previous mtime
 *  5  PACKET         traps mod 2^23 &lt;&lt; 8 | device   varint: value, varint: length, the bytes
 * </pre>
 *
 * <h2>Segments</h2>
 *
 * A trace is a sequence of {@link org.crtrmotion.vm.trace.TraceSegment}s, the unit that is
 * checksummed, shipped and acknowledged. Message {@code crtr.trace.v1.TraceSegment}:
 *
 * <pre>
 * 1 sequence      uint64   0 for the first segment, then +1
 * 2 first_icount  uint64   = the previous segment's last_icount (the header's start_icount for 0)
 * 3 last_icount   uint64   every event below it is in this segment or an earlier one
 * 4 event_count   uint32   events in `events`
 * 5 events        bytes    the events, encoded as below
 * 6 flags         uint32   bit 0: final, the trace's last segment; other bits 0
 * 7 crc32c        fixed32  see Checksums
 * </pre>
 *
 * Every event of a segment lies in {@code [first_icount, last_icount]}. Events at exactly {@code
 * last_icount} may continue in the next segment (a segment can close between two events at the same
 * instruction, and more inputs can arrive at the instruction the machine stopped at), which is why
 * ranges chain as {@code next.first_icount == last_icount} and why {@code last_icount} is a promise
 * about the instructions <em>below</em> it: a replayer may run up to {@code last_icount}, then
 * apply the events there it has and wait for the next segment before retiring one more. A segment
 * may hold no events: it then only moves that promise forward ({@link
 * org.crtrmotion.vm.trace.TraceWriter#flush(long)}).
 *
 * <p>Event encoding, one after the other, {@code event_count} of them, nothing after:
 *
 * <pre>
 * varint  kind tag
 * varint  instruction count - the previous event's (the first event: - first_icount)
 * ...     the kind's payload (table above)
 * </pre>
 *
 * Varints are protobuf's (unsigned LEB128, at most 10 bytes); zig-zag maps small values of either
 * sign to small unsigned ones. The "previous mtime" is one predictor shared by TIME_READ and
 * WFI_WAKE (both are mtime values, so each predicts the other); it starts at 0 in every segment, as
 * the instruction delta starts at {@code first_icount}: each segment decodes on its own, and a
 * damaged segment never poisons the next.
 *
 * <h2>Checksums</h2>
 *
 * CRC32C (Castagnoli, {@link java.util.zip.CRC32C}) over a canonical little-endian form of the
 * decoded fields, not over protobuf bytes: protobuf does not promise one encoding per message, and
 * checking values also catches a field that vanished (a damaged tag) and came back as its default.
 *
 * <pre>
 * segment: sequence u64, first_icount u64, last_icount u64, event_count u32, flags u32, events
 * header:  magic, format_version u32, machine, ram_bytes u64, time_mode, start_icount u64
 *          (strings as u32 length + UTF-8)
 * </pre>
 *
 * Why CRC32C and not a 64-bit hash: the JDK computes it with the CPU's CRC instructions (GB/s,
 * nothing to write or maintain), it detects every burst of up to 32 bits and every error of up to 3
 * bits at these sizes, and its 2^-32 miss rate for random damage is far below the rate of the
 * faults it guards against. It is not a defence against a forger; nothing in this format is. No
 * field is a protobuf {@code bool}: protobuf reads any non-zero varint as true, so a damaged bool
 * could change bytes without changing the value the checksum covers.
 *
 * <h2>Trace files</h2>
 *
 * {@link org.crtrmotion.vm.trace.TraceFiles}: one file, protobuf's {@code writeDelimitedTo} framing
 * throughout: a varint length and a {@code crtr.trace.v1.TraceHeader}, then for each segment in
 * sequence order a varint length and a {@code TraceSegment}; the last segment is final and nothing
 * follows it, so a file cut exactly between two segments is still seen as truncated. The header:
 *
 * <pre>
 * 1 magic           string   "CRTRTRC" (so every file starts: length, 0a 07 "CRTRTRC")
 * 2 format_version  uint32   1
 * 3 machine         string   "riscv64-virt"
 * 4 ram_bytes       uint64   guest RAM
 * 5 time_mode       string   "host" or "virtual"
 * 6 start_icount    uint64   retired instructions at the checkpoint the trace starts from
 * 7 crc32c          fixed32
 * </pre>
 *
 * A file is written beside its final name, synced and moved into place, so it appears whole or not
 * at all.
 *
 * <h2>Versions</h2>
 *
 * {@link org.crtrmotion.vm.trace.TraceFormat#VERSION} is the format's version, not the release's.
 * Readers refuse unknown protobuf fields, unknown flag bits and unknown event kinds, so any change
 * to the messages, the event encoding or the checksum is a new version. Magic and version keep
 * field numbers 1 and 2 in every version, and a reader checks the version before anything else, so
 * it can always say "trace format version 3; this reader reads version 1".
 *
 * <h2>Limits</h2>
 *
 * A reader checks every length before it allocates for it (a damaged length must not cost
 * gigabytes): a header of at most 64 KiB, a segment of at most 4 MiB of events and 1 Mi events, a
 * PACKET of at most 1 MiB; a segment's event list is sized by its bytes, not its count. Writers
 * stay well inside: by default a segment closes at 64 KiB or 16 Ki events ({@link
 * org.crtrmotion.vm.trace.TraceWriter.Limits}), and a larger bound than 2 MiB is refused.
 *
 * <h2>What a reader refuses</h2>
 *
 * Every refusal is a checked {@link org.crtrmotion.vm.trace.TraceFormatException} naming the
 * segment and the problem, and nothing else escapes the reading API. A refused segment leaves a
 * {@link org.crtrmotion.vm.trace.TraceReader} as it was, so a stream can ask for it again. The
 * problems: not a trace, another format version, a checksum mismatch (corrupt), a segment or file
 * cut short (truncated), a sequence gap (missing), the same segment twice (duplicate), an earlier
 * segment after a later one (out of order; a file names a swap as such), anything after the final
 * segment, instruction ranges that go backwards or leave instructions uncovered, an unknown event
 * kind, a length above the limits, and contents that pass the checksum but break these rules
 * (malformed: a writer bug).
 *
 * <h2>Sizes</h2>
 *
 * Per event, tag + instruction delta + payload: a TIME_READ every 1000 to 3000 instructions on a
 * 100 MIPS guest takes 5 bytes (1 + 2 + 2); IRQ_LINE and CONSOLE_INPUT 3 to 5 bytes; WFI_WAKE as
 * TIME_READ; PACKET the frame + 4 to 8 bytes. A segment adds about 30 bytes of its own fields and
 * framing, and restarts the mtime delta (its first time event costs up to 8 more bytes).
 */
package org.crtrmotion.vm.trace;
