package org.crtrmotion.streams;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.streams.proto.StreamsProto.FrameKind;
import org.crtrmotion.streams.proto.StreamsProto.StreamFrame;

/**
 * The sequence number and kind of an encoded frame, read from its header without copying the
 * payload: what the reliable transport needs to keep its place in a stream. It does not verify the
 * frame; the {@link FrameDecoder} at the end of the stream does that.
 *
 * @param sequence the frame's sequence number, or -1 when the header cannot be read
 */
record FrameSequence(long sequence, FrameKind kind) {
  static final FrameSequence UNREADABLE = new FrameSequence(-1, FrameKind.FRAME_KIND_UNSPECIFIED);

  static FrameSequence peek(ByteString frame) {
    long sequence = 0; // proto3 leaves a zero out of the wire
    FrameKind kind = FrameKind.FRAME_KIND_UNSPECIFIED;
    CodedInputStream in = CodedInputStream.newInstance(frame.asByteBuffer());
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        int field = WireFormat.getTagFieldNumber(tag);
        boolean varint = WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT;
        if (varint && field == StreamFrame.SEQUENCE_FIELD_NUMBER) {
          sequence = in.readUInt64();
        } else if (varint && field == StreamFrame.KIND_FIELD_NUMBER) {
          FrameKind known = FrameKind.forNumber(in.readEnum());
          kind = known == null ? FrameKind.FRAME_KIND_UNSPECIFIED : known;
        } else if (!in.skipField(tag)) {
          break;
        }
      }
    } catch (IOException e) {
      return UNREADABLE;
    }
    return new FrameSequence(sequence, kind);
  }

  boolean isEnd() {
    return kind == FrameKind.END;
  }
}
