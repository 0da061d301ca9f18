package org.crtrmotion.cluster.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.NotSerializableException;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.crtrmotion.cluster.wire.testproto.Unversioned;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VersionedProtobufSerializerTest {
  private static ActorSystem<Void> system;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    system =
        ActorSystem.create(
            Behaviors.empty(),
            "wire",
            ConfigFactory.parseString(
                    """
                    pekko.loglevel = WARNING
                    pekko.actor.serializers.probe = "org.crtrmotion.cluster.wire.ProbeSerializer"
                    pekko.actor.serialization-bindings {
                      "org.crtrmotion.cluster.wire.Ping" = probe
                    }
                    """)
                .withFallback(ConfigFactory.load()));
    serialization = SerializationExtension.get(Adapter.toClassic(system));
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static int actors;

  private static ActorRef<String> someActor() {
    return system.systemActorOf(Behaviors.ignore(), "ignore-" + actors++, Props.empty());
  }

  @Test
  void boundMessageRoundTripsWithItsActorRefThroughTheBoundSerializer() throws Exception {
    Ping ping = new Ping("hello", someActor());
    var serializer = serialization.findSerializerFor(ping);
    assertInstanceOf(ProbeSerializer.class, serializer);
    byte[] bytes = serialization.serialize(ping).get();
    Object back =
        serialization
            .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, ping))
            .get();
    assertEquals(ping, back);
  }

  @Test
  void everyMessageCarriesTheProtocolVersion() throws Exception {
    byte[] bytes = probe().toBinary(new Ping("x", someActor()));
    assertEquals(
        ProbeSerializer.VERSION,
        org.crtrmotion.cluster.wire.testproto.Ping.parseFrom(bytes).getProtocolVersion());
  }

  @Test
  void messageOfAnotherVersionIsRefusedNamingBothVersions() throws Exception {
    ProbeSerializer probe = probe();
    byte[] bytes =
        org.crtrmotion.cluster.wire.testproto.Ping.parseFrom(
                probe.toBinary(new Ping("x", someActor())))
            .toBuilder()
            .setProtocolVersion(2)
            .build()
            .toByteArray();
    ProtocolVersionException e =
        assertThrows(ProtocolVersionException.class, () -> probe.fromBinary(bytes, "P"));
    assertEquals(2, e.peerVersion());
    assertEquals(1, e.ownVersion());
    assertTrue(e.getMessage().contains("protocol version 2"), e.getMessage());
    assertTrue(e.getMessage().contains("crtr.clustertest version 1"), e.getMessage());
  }

  @Test
  void messageWithoutVersionIsRefusedAsVersionZero() throws Exception {
    byte[] bytes =
        org.crtrmotion.cluster.wire.testproto.Ping.newBuilder().setText("x").build().toByteArray();
    ProtocolVersionException e =
        assertThrows(ProtocolVersionException.class, () -> probe().fromBinary(bytes, "P"));
    assertEquals(0, e.peerVersion());
  }

  @Test
  void unknownManifestIsRefusedByName() throws Exception {
    NotSerializableException e =
        assertThrows(NotSerializableException.class, () -> probe().fromBinary(new byte[0], "Q"));
    assertTrue(e.getMessage().contains("unknown manifest 'Q'"), e.getMessage());
  }

  @Test
  void protobufMessageWithoutVersionFieldCannotBeListed() {
    ExtendedActorSystem classic = (ExtendedActorSystem) Adapter.toClassic(system);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new VersionedProtobufSerializer(
                    classic,
                    7902,
                    "crtr.clustertest",
                    1,
                    List.of(
                        WireMessage.of(
                            "U",
                            String.class,
                            Unversioned.getDescriptor(),
                            (s, refs) -> Unversioned.newBuilder().setText(s).build(),
                            (b, refs) -> Unversioned.parseFrom(b).getText()))) {});
    assertTrue(e.getMessage().contains("protocol_version"), e.getMessage());
  }

  private static ProbeSerializer probe() throws NotSerializableException {
    return (ProbeSerializer) serialization.serializerFor(Ping.class);
  }
}
