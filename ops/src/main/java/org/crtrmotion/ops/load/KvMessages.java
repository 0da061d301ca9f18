package org.crtrmotion.ops.load;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * netkv.elf's UDP protocol. Request: op ('G' or 'P'), 3 zero bytes, u64 sequence (little endian),
 * key length, value length, key, value. Reply: the op in lower case, a status (0 ok, 1 no such key,
 * 2 bad request), 2 zero bytes, the same sequence, key length, value length, key, value.
 *
 * <p>The load's requests are a fixed sequence so every reply can be checked: request {@code s} with
 * {@code s} even PUTs key {@code k<(s/2) mod keys>} to {@code v<s>}; the odd {@code s + 1} GETs the
 * same key and must return {@code v<s>}.
 */
public final class KvMessages {
  static final int HEADER = 14;

  private KvMessages() {}

  /** A reply, parsed. */
  public record Reply(char op, int status, long sequence, byte[] key, byte[] value) {}

  static String key(long sequence, int keys) {
    return "k" + (sequence / 2) % keys;
  }

  static String putValue(long sequence) {
    return "v" + (sequence - (sequence & 1));
  }

  /** The request with this sequence number. */
  public static byte[] request(long sequence, int keys) {
    boolean put = (sequence & 1) == 0;
    byte[] k = key(sequence, keys).getBytes(StandardCharsets.US_ASCII);
    byte[] v = put ? putValue(sequence).getBytes(StandardCharsets.US_ASCII) : new byte[0];
    ByteBuffer b = ByteBuffer.allocate(HEADER + k.length + v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) (put ? 'P' : 'G')).put(new byte[3]).putLong(sequence);
    b.put((byte) k.length).put((byte) v.length).put(k).put(v);
    return b.array();
  }

  /** The reply in {@code bytes}, or null when it is not one. */
  public static Reply parse(byte[] bytes, int length) {
    if (length < HEADER) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(bytes, 0, length).order(ByteOrder.LITTLE_ENDIAN);
    char op = (char) b.get();
    int status = b.get() & 0xff;
    b.position(4);
    long sequence = b.getLong();
    int keyLength = b.get() & 0xff;
    int valueLength = b.get() & 0xff;
    if (HEADER + keyLength + valueLength > length) {
      return null;
    }
    return new Reply(
        op,
        status,
        sequence,
        Arrays.copyOfRange(bytes, HEADER, HEADER + keyLength),
        Arrays.copyOfRange(bytes, HEADER + keyLength, HEADER + keyLength + valueLength));
  }

  /** Whether {@code r} is the right answer to request {@code r.sequence()}, or why not. */
  public static String check(Reply r, int keys) {
    long s = r.sequence();
    boolean put = (s & 1) == 0;
    String key = new String(r.key(), StandardCharsets.US_ASCII);
    String value = new String(r.value(), StandardCharsets.US_ASCII);
    if (r.op() != (put ? 'p' : 'g') || r.status() != 0) {
      return "reply " + s + " has op '" + r.op() + "' and status " + r.status();
    }
    if (!key.equals(key(s, keys)) || !value.equals(putValue(s))) {
      return "reply "
          + s
          + " has "
          + key
          + "="
          + value
          + ", not "
          + key(s, keys)
          + "="
          + putValue(s);
    }
    return null;
  }
}
