package org.crtrmotion.cluster.wire;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;

/**
 * How one message class crosses nodes: a short manifest that never changes, its protobuf message,
 * and the two conversions. The protobuf message's field 1 must be {@code uint32 protocol_version};
 * the serializer fills and checks it, the conversions leave it alone.
 *
 * @param manifest short and stable: a renamed class keeps its manifest, a removed one retires it
 * @param type the class that is bound to the serializer (records, not interfaces)
 * @param descriptor the protobuf message the class is written as
 * @param encoder the record to its protobuf message
 * @param decoder serialized protobuf bytes to the record
 */
public record WireMessage<T>(
    String manifest, Class<T> type, Descriptor descriptor, Encoder<T> encoder, Decoder<T> decoder) {

  /** The record to its protobuf message (protocol_version left unset). */
  @FunctionalInterface
  public interface Encoder<T> {
    Message encode(T value, Refs refs);
  }

  /** Protobuf bytes to the record. */
  @FunctionalInterface
  public interface Decoder<T> {
    T decode(byte[] bytes, Refs refs) throws InvalidProtocolBufferException;
  }

  public static <T> WireMessage<T> of(
      String manifest,
      Class<T> type,
      Descriptor descriptor,
      Encoder<T> encoder,
      Decoder<T> decoder) {
    return new WireMessage<>(manifest, type, descriptor, encoder, decoder);
  }
}
