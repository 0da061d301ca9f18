package org.crtrmotion.actors.net;

import com.google.protobuf.ByteString;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.crtrmotion.actors.wire.proto.SwitchProto;
import org.crtrmotion.cluster.wire.VersionedProtobufSerializer;
import org.crtrmotion.cluster.wire.WireMessage;

/**
 * The {@code crtr.net} protocol on the wire ({@code crtr/net/v1/switch.proto}): short stable
 * manifests, the version in field 1 (another version is refused naming both).
 */
public final class SwitchProtocolSerializer extends VersionedProtobufSerializer {
  /** Pekko serializer id; never reused for another serializer. */
  public static final int IDENTIFIER = 7003;

  public static final String PROTOCOL = "crtr.net";
  public static final int VERSION = 1;

  public SwitchProtocolSerializer(ExtendedActorSystem system) {
    super(system, IDENTIFIER, PROTOCOL, VERSION, messages());
  }

  private static List<WireMessage<?>> messages() {
    return List.of(
        WireMessage.of(
            "sFrame",
            VirtualSwitch.FrameFromPeer.class,
            SwitchProto.Frame.getDescriptor(),
            (m, refs) ->
                SwitchProto.Frame.newBuilder()
                    .setNetwork(m.network())
                    .setFrame(ByteString.copyFrom(m.frame()))
                    .setFrom(refs.toWire(m.from()))
                    .setFlooded(m.flooded())
                    .build(),
            (b, refs) -> {
              SwitchProto.Frame p = SwitchProto.Frame.parseFrom(b);
              return new VirtualSwitch.FrameFromPeer(
                  p.getNetwork(),
                  p.getFrame().toByteArray(),
                  refs.fromWire(p.getFrom()),
                  p.getFlooded());
            }),
        WireMessage.of(
            "sHeld",
            VirtualSwitch.HeldFrames.class,
            SwitchProto.HeldFrames.getDescriptor(),
            (m, refs) ->
                SwitchProto.HeldFrames.newBuilder()
                    .setNetwork(m.network())
                    .setMac(m.mac())
                    .addAllFrames(m.frames().stream().map(ByteString::copyFrom).toList())
                    .setIp(ByteString.copyFrom(m.ip()))
                    .build(),
            (b, refs) -> {
              SwitchProto.HeldFrames p = SwitchProto.HeldFrames.parseFrom(b);
              return new VirtualSwitch.HeldFrames(
                  p.getNetwork(),
                  p.getMac(),
                  p.getFramesList().stream().map(ByteString::toByteArray).toList(),
                  p.getIp().toByteArray());
            }));
  }
}
