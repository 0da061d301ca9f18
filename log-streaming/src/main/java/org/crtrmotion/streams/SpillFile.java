package org.crtrmotion.streams;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;
import org.apache.pekko.util.ByteString;

/**
 * One file of an {@link OutboundLog}'s spill: frames appended one after another, read back by
 * offset. The layout is a magic and a format version, then per frame a record header (sequence
 * number, length, CRC32C of the frame bytes) and the frame bytes. The frame's own CRC covers only
 * its payload and is checked at the far end; the record's CRC lets the sender itself notice a
 * damaged or truncated file before it sends anything from it. Not thread-safe: the log serialises
 * access.
 */
final class SpillFile {
  /** "CRSP" then format version 1. */
  static final int MAGIC = 0x43525350;

  static final int VERSION = 1;
  static final int FILE_HEADER_BYTES = 8;
  static final int RECORD_HEADER_BYTES = 16;

  private final Path path;
  private final FileChannel channel;
  private long sizeBytes;
  private long lastSequence = -1;

  private SpillFile(Path path, FileChannel channel, long sizeBytes) {
    this.path = path;
    this.channel = channel;
    this.sizeBytes = sizeBytes;
  }

  /** A new, empty spill file at {@code path}; fails if the file exists. */
  static SpillFile create(Path path) {
    try {
      FileChannel channel =
          FileChannel.open(
              path,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_BYTES).putInt(MAGIC).putInt(VERSION);
      writeFully(channel, header.flip(), 0);
      return new SpillFile(path, channel, FILE_HEADER_BYTES);
    } catch (IOException e) {
      throw new SpillException("cannot create spill file " + path + ": " + e.getMessage(), e);
    }
  }

  /** The bytes a frame of {@code frameBytes} takes in a spill file. */
  static long recordBytes(long frameBytes) {
    return RECORD_HEADER_BYTES + frameBytes;
  }

  /** Appends frame {@code sequence} and returns the offset to read it back from. */
  long append(long sequence, ByteString frame) {
    long offset = sizeBytes;
    CRC32C crc = new CRC32C();
    for (ByteBuffer part : frame.getByteBuffers()) {
      crc.update(part);
    }
    ByteBuffer header =
        ByteBuffer.allocate(RECORD_HEADER_BYTES)
            .putLong(sequence)
            .putInt(frame.size())
            .putInt((int) crc.getValue())
            .flip();
    try {
      writeFully(channel, header, offset);
      long at = offset + RECORD_HEADER_BYTES;
      for (ByteBuffer part : frame.getByteBuffers()) {
        at += writeFully(channel, part, at);
      }
    } catch (IOException e) {
      throw new SpillException(
          "cannot write frame " + sequence + " to spill file " + path + ": " + e.getMessage(), e);
    }
    sizeBytes = offset + recordBytes(frame.size());
    lastSequence = sequence;
    return offset;
  }

  /**
   * Frame {@code sequence}, {@code length} bytes long, from the record at {@code offset}; a record
   * that is cut short, names another frame or fails its CRC is a {@link SpillException}.
   */
  ByteString read(long offset, long sequence, int length) {
    try {
      long fileBytes = channel.size();
      checkHeader(fileBytes, sequence);
      ByteBuffer header = ByteBuffer.allocate(RECORD_HEADER_BYTES);
      if (readFully(header, offset) < RECORD_HEADER_BYTES) {
        throw truncated(sequence, offset, RECORD_HEADER_BYTES, fileBytes - offset);
      }
      header.flip();
      long storedSequence = header.getLong();
      int storedLength = header.getInt();
      int storedCrc = header.getInt();
      if (storedSequence != sequence || storedLength != length) {
        throw new SpillException(
            String.format(
                "spill file %s is corrupt: the record at offset %d holds frame %d of %d bytes,"
                    + " where frame %d of %d bytes was written",
                path, offset, storedSequence, storedLength, sequence, length));
      }
      byte[] bytes = new byte[length];
      ByteBuffer body = ByteBuffer.wrap(bytes);
      long bodyAt = offset + RECORD_HEADER_BYTES;
      if (readFully(body, bodyAt) < length) {
        throw truncated(sequence, bodyAt, length, fileBytes - bodyAt);
      }
      CRC32C crc = new CRC32C();
      crc.update(bytes);
      if ((int) crc.getValue() != storedCrc) {
        throw new SpillException(
            String.format(
                "spill file %s is corrupt: frame %d at offset %d has CRC32C %08x, %08x was written",
                path, sequence, offset, (int) crc.getValue(), storedCrc));
      }
      return ByteString.fromArrayUnsafe(bytes);
    } catch (IOException e) {
      throw new SpillException(
          "cannot read frame " + sequence + " from spill file " + path + ": " + e.getMessage(), e);
    }
  }

  private void checkHeader(long fileBytes, long sequence) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(FILE_HEADER_BYTES);
    if (readFully(header, 0) < FILE_HEADER_BYTES) {
      throw truncated(sequence, 0, FILE_HEADER_BYTES, fileBytes);
    }
    header.flip();
    int magic = header.getInt();
    int version = header.getInt();
    if (magic != MAGIC || version != VERSION) {
      throw new SpillException(
          String.format(
              "%s is not a spill file of format %d (magic %08x, version %d) while reading frame %d",
              path, VERSION, magic, version, sequence));
    }
  }

  private SpillException truncated(long sequence, long offset, long needed, long remaining) {
    return new SpillException(
        "spill file "
            + path
            + " is truncated: frame "
            + sequence
            + " needs "
            + needed
            + " bytes at offset "
            + offset
            + ", the file holds "
            + Math.max(0, remaining)
            + " there");
  }

  private int readFully(ByteBuffer into, long position) throws IOException {
    int total = 0;
    while (into.hasRemaining()) {
      int n = channel.read(into, position + total);
      if (n < 0) {
        break;
      }
      total += n;
    }
    return total;
  }

  private static int writeFully(FileChannel channel, ByteBuffer from, long position)
      throws IOException {
    int total = 0;
    while (from.hasRemaining()) {
      total += channel.write(from, position + total);
    }
    return total;
  }

  Path path() {
    return path;
  }

  /** Bytes written, headers included: what the file takes of the disk budget. */
  long sizeBytes() {
    return sizeBytes;
  }

  /** The last frame appended, or -1. */
  long lastSequence() {
    return lastSequence;
  }

  /** Closes and removes the file; its frames are no longer needed. */
  void delete() {
    try {
      channel.close();
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new SpillException("cannot delete spill file " + path + ": " + e.getMessage(), e);
    }
  }
}
