package org.crtrmotion.cluster.wire;

import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.crtrmotion.cluster.wire.testproto.Ping;

/** The test protocol's serializer, speaking {@code crtr.clustertest} version {@link #VERSION}. */
public final class ProbeSerializer extends VersionedProtobufSerializer {
  static final int VERSION = 1;

  public ProbeSerializer(ExtendedActorSystem system) {
    super(
        system,
        7901,
        "crtr.clustertest",
        VERSION,
        List.of(
            WireMessage.of(
                "P",
                org.crtrmotion.cluster.wire.Ping.class,
                Ping.getDescriptor(),
                (p, refs) ->
                    Ping.newBuilder()
                        .setText(p.text())
                        .setReplyTo(refs.toWire(p.replyTo()))
                        .build(),
                (bytes, refs) -> {
                  Ping p = Ping.parseFrom(bytes);
                  return new org.crtrmotion.cluster.wire.Ping(
                      p.getText(), refs.fromWire(p.getReplyTo()));
                })));
  }
}
