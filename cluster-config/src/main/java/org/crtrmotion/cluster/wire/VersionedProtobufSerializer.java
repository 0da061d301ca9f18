package org.crtrmotion.cluster.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.io.NotSerializableException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The serializer of one bounded context's cross-node messages (one {@code .proto} each): every
 * message is a protobuf message whose field 1 carries the context's protocol version. A message of
 * another version is refused with a {@link ProtocolVersionException} naming both versions, and a
 * manifest this node does not know is refused by name.
 *
 * <p>A subclass has the constructor Pekko calls, {@code (ExtendedActorSystem)}, and lists its
 * messages; bind it in HOCON under {@code pekko.actor.serializers} and {@code
 * serialization-bindings}.
 */
public abstract class VersionedProtobufSerializer extends SerializerWithStringManifest {
  /** The field number of {@code protocol_version} in every message. */
  public static final int VERSION_FIELD = 1;

  private final ExtendedActorSystem system;
  private final int identifier;
  private final String protocol;
  private final int version;
  private final Map<Class<?>, WireMessage<?>> byClass = new HashMap<>();
  private final Map<String, WireMessage<?>> byManifest = new HashMap<>();
  private volatile Refs
      refs; // resolved on first use: the typed system is not ready while Pekko builds serializers

  /**
   * @param identifier Pekko's serializer id, unique in the cluster and never reused (0..40 are
   *     Pekko's)
   * @param protocol the context's name in errors, e.g. {@code crtr.cluster}
   * @param version the protocol version this node speaks, at least 1
   */
  protected VersionedProtobufSerializer(
      ExtendedActorSystem system,
      int identifier,
      String protocol,
      int version,
      List<WireMessage<?>> messages) {
    if (version < 1) {
      throw new IllegalArgumentException("protocol version must be at least 1, was " + version);
    }
    this.system = system;
    this.identifier = identifier;
    this.protocol = protocol;
    this.version = version;
    for (WireMessage<?> m : messages) {
      versionField(m.descriptor()); // fail at start, not at the first message
      if (byManifest.put(m.manifest(), m) != null) {
        throw new IllegalArgumentException(protocol + ": manifest " + m.manifest() + " used twice");
      }
      if (byClass.put(m.type(), m) != null) {
        throw new IllegalArgumentException(protocol + ": " + m.type().getName() + " listed twice");
      }
    }
  }

  private FieldDescriptor versionField(Descriptor d) {
    FieldDescriptor f = d.findFieldByNumber(VERSION_FIELD);
    if (f == null
        || !f.getName().equals("protocol_version")
        || f.getType() != FieldDescriptor.Type.UINT32) {
      throw new IllegalArgumentException(
          protocol
              + ": "
              + d.getFullName()
              + " must have 'uint32 protocol_version = 1' to cross nodes");
    }
    return f;
  }

  @Override
  public int identifier() {
    return identifier;
  }

  /** The protocol version this node speaks. */
  public int version() {
    return version;
  }

  @Override
  public String manifest(Object o) {
    return format(o).manifest();
  }

  @Override
  public byte[] toBinary(Object o) {
    WireMessage<?> format = format(o);
    Message message = encode(format, o);
    return message.toBuilder()
        .setField(versionField(message.getDescriptorForType()), version)
        .build()
        .toByteArray();
  }

  @SuppressWarnings("unchecked")
  private <T> Message encode(WireMessage<T> format, Object o) {
    return format.encoder().encode((T) o, refs());
  }

  private WireMessage<?> format(Object o) {
    WireMessage<?> format = byClass.get(o.getClass());
    if (format == null) {
      throw new IllegalArgumentException(
          protocol + " has no wire format for " + o.getClass().getName() + ": add a WireMessage");
    }
    return format;
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    WireMessage<?> format = byManifest.get(manifest);
    if (format == null) {
      throw new NotSerializableException(
          String.format(
              "refused a %s message with unknown manifest '%s' (a peer of another release?):"
                  + " this node speaks %s version %d",
              protocol, manifest, protocol, version));
    }
    int peerVersion = peekVersion(bytes, manifest);
    if (peerVersion != version) {
      throw new ProtocolVersionException(protocol, manifest, peerVersion, version);
    }
    try {
      return format.decoder().decode(bytes, refs());
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      NotSerializableException refused =
          new NotSerializableException(
              protocol + " message " + manifest + " refused: " + e.getMessage());
      refused.initCause(e);
      throw refused;
    }
  }

  /** Field 1 of the message without parsing the rest; 0 when absent (proto3 omits 0). */
  private int peekVersion(byte[] bytes, String manifest) throws NotSerializableException {
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      while (true) {
        int tag = in.readTag();
        if (tag == 0) {
          return 0;
        }
        if (WireFormat.getTagFieldNumber(tag) == VERSION_FIELD
            && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
          return in.readUInt32();
        }
        in.skipField(tag);
      }
    } catch (IOException e) {
      throw new NotSerializableException(
          protocol + " message " + manifest + " is not valid protobuf: " + e.getMessage());
    }
  }

  private Refs refs() {
    Refs r = refs;
    if (r == null) {
      ActorRefResolver resolver = ActorRefResolver.get(Adapter.toTyped(system));
      r =
          new Refs() {
            @Override
            public String toWire(ActorRef<?> ref) {
              return resolver.toSerializationFormat(ref);
            }

            @Override
            public <T> ActorRef<T> fromWire(String wire) {
              return resolver.resolveActorRef(wire);
            }
          };
      refs = r;
    }
    return r;
  }
}
