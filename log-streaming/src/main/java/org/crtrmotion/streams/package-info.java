/**
 * The bytes of a migration in motion between nodes: frames of trace segments, checkpoint chunks and
 * page batches ({@code crtr/streams/v1/streams.proto}) carried by Pekko Streams.
 *
 * <h2>Frames</h2>
 *
 * <p>Every element of a stream is one serialised {@code StreamFrame}: protocol version, stream id,
 * sequence number (0, 1, 2, ... per stream), kind, codec, uncompressed length, CRC32C of the
 * uncompressed payload and the payload. {@link org.crtrmotion.streams.FrameEncoder} numbers,
 * checksums and compresses as its {@link org.crtrmotion.streams.CodecPolicy} decides (LZ4 block, or
 * raw: always raw under {@code none}, on an uncapped or fast link under {@code adaptive}, and
 * whenever LZ4 does not shrink the payload; the codec field says which, per frame) and ends every
 * stream with an {@code END} frame. {@link org.crtrmotion.streams.FrameDecoder} refuses, by
 * sequence number, a frame that does not parse, speaks another version, belongs to another stream,
 * leaves a gap, repeats, or fails its checksum, and a stream that stops before its {@code END}: the
 * stream fails with a {@link org.crtrmotion.streams.FrameException} instead of delivering anything
 * after the problem.
 *
 * <p>The checksum covers the payload, not the header: a damaged header shows up as a wrong version,
 * stream, sequence or a payload that does not expand to its checksum.
 *
 * <h2>Payloads</h2>
 *
 * <p>Trace segments travel as vm-runtime serialised them, several to a frame (a StreamRef moves a
 * bounded number of elements per second, so batching decides throughput), and their own checksums
 * are checked again by the receiver's {@code TraceReader}. Checkpoint chunks are slices of the
 * {@code CheckpointWriter} byte stream with their offset. Page batches carry non-zero pages as
 * bytes and zero pages as index runs only.
 *
 * <h2>Pacing and counting</h2>
 *
 * <p>{@link org.crtrmotion.streams.BandwidthCap} is a migration's {@code max-bandwidth}; its flows
 * (one per stream of the migration) pace encoded frames through one shared token bucket, first come
 * first served, that reads the cap at every decision, so the streams together get the cap and a
 * coordinator may change it while the transfer runs. {@link org.crtrmotion.streams.StreamMetrics}
 * counts frames after the encoder and before the decoder, by kind, from the frame header alone.
 *
 * <h2>Reliable transport</h2>
 *
 * <p>{@link org.crtrmotion.streams.OutboundLog} keeps each frame until the receiver acknowledges
 * it: in memory up to a bound, then in checksummed spill files up to a disk budget, raising a
 * throttle signal past a high-water mark and holding the producer back when full, never dropping.
 * {@link org.crtrmotion.streams.ReliableSender} serves one connection at a time from the log at the
 * sequence number a {@link org.crtrmotion.streams.ReliableReceiver} asks to resume from; the
 * receiver acknowledges with {@code CONTROL} frames sent to the sender's endpoint actor and
 * reconnects after a drop until a deadline, after which both ends fail with a {@link
 * org.crtrmotion.streams.ReliableStreamException} stating the reason.
 *
 * <h2>Hooks to the machine</h2>
 *
 * <p>{@link org.crtrmotion.streams.RecorderSource} turns a VM's recorder into a source of segments
 * (the VM thread waits when the stream is full); {@link org.crtrmotion.streams.ReplayFeedSink}
 * appends arriving segments to vm-runtime's {@code GrowingFeed} for a {@code StreamingReplay};
 * {@link org.crtrmotion.streams.CheckpointTransfer} streams a copy-on-write checkpoint and restores
 * a machine from it; {@link org.crtrmotion.streams.PageBatches} carries pre-copy rounds.
 */
package org.crtrmotion.streams;
