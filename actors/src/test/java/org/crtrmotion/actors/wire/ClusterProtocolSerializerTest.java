package org.crtrmotion.actors.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.crtrmotion.actors.devices.DeviceSpec;
import org.crtrmotion.actors.devices.VmDevices;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.wire.proto.HostProto;
import org.crtrmotion.cluster.wire.ProtocolVersionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterProtocolSerializerTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Serialization serialization =
      SerializationExtension.get(Adapter.toClassic(testKit.system()));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static <T> ActorRef<T> ref() {
    return testKit.<T>createTestProbe().ref();
  }

  /** One of every message of the crtr.cluster protocol, every field set. */
  static Stream<Object> everyMessage() {
    return Stream.of(
        new HostAgent.StartVm("memory.elf", "ticks=0", 64L << 20, 20_000_000, ref()),
        new HostAgent.VmStarted("b-vm-1", "b"),
        new HostAgent.StartRefused("node b is full"),
        new HostAgent.StopVm("b-vm-1", ref()),
        new HostAgent.VmStopped("b-vm-1", 123_456_789L),
        new HostAgent.StopRefused("b-vm-9", "no VM b-vm-9 on b"),
        new HostAgent.ListVms(ref()),
        new HostAgent.VmList(
            "b",
            List.of(
                new HostAgent.VmInfo("b-vm-1", "memory.elf", 64L << 20),
                new HostAgent.VmInfo("b-vm-2", "/images/x.elf", 16L << 20, 5_000_000))),
        new HostAgent.GetCapacity(ref()),
        new HostAgent.Capacity("b", 2, 1, 16, 80L << 20, 64L << 20, 4L << 30),
        new HostAgent.OfferMigration("m-1", "a-vm-3", 64L << 20, 30_000, ref()),
        new HostAgent.OfferAccepted("m-1", "b"),
        new HostAgent.OfferRefused("m-1", "node b is full"),
        new HostAgent.ReleaseOffer("m-1"),
        new VmDirectory.Register("a-vm-3", "a", ref()),
        new VmDirectory.Lookup("a-vm-3", ref()),
        new VmDirectory.Claim("a-vm-3", "b", 4, ref()),
        new HostAgent.ClaimVms(ref()),
        new VmDirectory.Move("a-vm-3", "a", 4, "b", ref()),
        new VmDirectory.Location("a-vm-3", "b", 5),
        new VmDirectory.Refusal("a-vm-3", "stale"));
  }

  @ParameterizedTest
  @MethodSource("everyMessage")
  void messageRoundTripsThroughTheClusterSerializer(Object message) {
    Serializer serializer = serialization.findSerializerFor(message);
    assertInstanceOf(ClusterProtocolSerializer.class, serializer);
    byte[] bytes = serialization.serialize(message).get();
    Object back =
        serialization
            .deserialize(
                bytes, serializer.identifier(), Serializers.manifestFor(serializer, message))
            .get();
    assertEquals(message, back);
  }

  @Test
  void startVmCarriesItsDevicesInSlotOrder() {
    Object message =
        new HostAgent.StartVm(
            "disk.elf",
            "blocks=16",
            16L << 20,
            VmDevices.of(
                new DeviceSpec.Nic("52:54:00:12:34:56", "lan"),
                new DeviceSpec.Disk("/images/base.img", "ab".repeat(32))),
            ref());
    messageRoundTripsThroughTheClusterSerializer(message);
  }

  @Test
  void everyListedMessageHasItsOwnManifest() {
    ClusterProtocolSerializer s = serializer();
    assertEquals(everyMessage().count(), everyMessage().map(s::manifest).distinct().count());
  }

  @Test
  void peerOfAnotherProtocolVersionIsRefusedNamingBothVersions() throws Exception {
    ClusterProtocolSerializer s = serializer();
    byte[] fromVersion2 =
        HostProto.VmStarted.newBuilder()
            .setProtocolVersion(2)
            .setVmId("b-vm-1")
            .setNode("b")
            .build()
            .toByteArray();
    ProtocolVersionException e =
        assertThrows(ProtocolVersionException.class, () -> s.fromBinary(fromVersion2, "hStarted"));
    assertTrue(
        e.getMessage().contains("of protocol version 2: this node speaks crtr.cluster version 1"),
        e.getMessage());
  }

  private static ClusterProtocolSerializer serializer() {
    return (ClusterProtocolSerializer)
        serialization.findSerializerFor(new HostAgent.VmStarted("x", "y"));
  }
}
