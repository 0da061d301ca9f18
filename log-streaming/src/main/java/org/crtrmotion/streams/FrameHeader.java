package org.crtrmotion.streams;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.crtrmotion.streams.proto.StreamsProto.StreamFrame;

/**
 * What a counter needs of an encoded frame, read without copying its payload: counting must stay
 * cheap beside the stream it watches, and must not be the one to refuse a bad frame (the {@link
 * FrameDecoder} does that, with its sequence number).
 */
record FrameHeader(FrameKind kind, long uncompressedBytes, long wireBytes) {
  /**
   * The header of {@code frame}; a frame that does not parse counts as {@code
   * FRAME_KIND_UNSPECIFIED} with no uncompressed bytes, so that the wire bytes still add up.
   */
  static FrameHeader peek(ByteString frame) {
    FrameKind kind = FrameKind.FRAME_KIND_UNSPECIFIED;
    long uncompressed = 0;
    CodedInputStream in = CodedInputStream.newInstance(frame.asByteBuffer());
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int field = WireFormat.getTagFieldNumber(tag);
        boolean varint = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT;
        if (varint && field == StreamFrame.KIND_FIELD_NUMBER) {
          FrameKind known = FrameKind.forNumber(in.readEnum());
          kind = known == null ? FrameKind.FRAME_KIND_UNSPECIFIED : known;
        } else if (varint && field == StreamFrame.UNCOMPRESSED_LENGTH_FIELD_NUMBER) {
          uncompressed = Integer.toUnsignedLong(in.readUInt32());
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (IOException e) {
      return new FrameHeader(FrameKind.FRAME_KIND_UNSPECIFIED, 0, frame.size());
    }
    return new FrameHeader(kind, uncompressed, frame.size());
  }
}
