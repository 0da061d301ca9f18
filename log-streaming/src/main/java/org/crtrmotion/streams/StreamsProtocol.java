package org.crtrmotion.streams;

/** Constants of the wire format in {@code crtr/streams/v1/streams.proto}. */
public final class StreamsProtocol {
  /** The protocol version this code speaks; a frame of another version is refused. */
  public static final int VERSION = 1;

  /**
   * Largest uncompressed payload a receiver accepts. Bounds the allocation a corrupt or hostile
   * length field can cause; 16 MiB is far above a batch of segments or pages.
   */
  public static final int MAX_PAYLOAD_BYTES = 16 << 20;

  private StreamsProtocol() {}
}
