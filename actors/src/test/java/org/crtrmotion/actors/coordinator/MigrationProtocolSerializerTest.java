package org.crtrmotion.actors.coordinator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.apache.pekko.stream.SourceRef;
import org.apache.pekko.stream.StreamRefResolver;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamRefs;
import org.apache.pekko.util.ByteString;
import org.crtrmotion.actors.devices.DeviceSpec;
import org.crtrmotion.actors.devices.VmDevices;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.actors.wire.proto.MigrationProto;
import org.crtrmotion.cluster.wire.ProtocolVersionException;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.time.TimeMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MigrationProtocolSerializerTest {
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

  /** One of every message of the crtr.migration protocol but those with bytes or stream refs. */
  static Stream<Object> everyPlainMessage() {
    return Stream.of(
        new MigrationProtocol.Prepare(
            "a-m1-x",
            "a-vm-1",
            "a",
            Strategy.CRTR,
            "memory.elf",
            "wss=1M",
            32L << 20,
            TimeMode.HOST,
            1000,
            1L << 16,
            5_000_000,
            40_000,
            ref(),
            VmDevices.none()),
        new MigrationProtocol.Prepare(
            "a-m2-x",
            "a-vm-2",
            "a",
            Strategy.PRECOPY,
            "netkv.elf",
            "",
            16L << 20,
            TimeMode.VIRTUAL,
            1000,
            1L << 16,
            0,
            40_000,
            ref(),
            VmDevices.of(
                new DeviceSpec.Nic("52:54:00:12:34:57", "lan"),
                new DeviceSpec.Disk("/images/base.img", "0f".repeat(32)))),
        new MigrationProtocol.Accepted("a-m1-x", "b", ref()),
        new MigrationProtocol.Refused("a-m1-x", "node b is full"),
        new MigrationProtocol.ProgressQuery("a-m1-x", ref()),
        new MigrationProtocol.Progress("a-m1-x", true, 123_456_789, 40_000_000),
        new MigrationProtocol.CaughtUp("a-m1-x", 987_654_321, new StateDigest(-1, 42), -7),
        new MigrationProtocol.Live("a-m1-x", 987_654_321, 451),
        new MigrationProtocol.Abort("a-m1-x", "cancelled in phase TRANSFER"),
        new MigrationProtocol.TargetFailed("a-m1-x", "the replay failed"),
        new MigrationProtocol.SwitchStrategy("a-m1-x", Strategy.PRECOPY),
        new MigrationProtocol.Switched("a-m1-x", Strategy.PRECOPY));
  }

  private static Object roundTrip(Object message) {
    Serializer serializer = serialization.findSerializerFor(message);
    assertInstanceOf(MigrationProtocolSerializer.class, serializer);
    byte[] bytes = serialization.serialize(message).get();
    return serialization
        .deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, message))
        .get();
  }

  @ParameterizedTest
  @MethodSource("everyPlainMessage")
  void messageRoundTripsThroughTheMigrationSerializer(Object message) {
    assertEquals(message, roundTrip(message));
  }

  @Test
  void commitCarriesTheUnfinishedLineByteForByte() {
    byte[] pending = "tick 4".getBytes(StandardCharsets.UTF_8);
    MigrationProtocol.Commit back =
        (MigrationProtocol.Commit)
            roundTrip(new MigrationProtocol.Commit("a-m1-x", 451, pending, 3));
    assertEquals("a-m1-x", back.migrationId());
    assertEquals(451, back.nextLineNumber());
    assertArrayEquals(pending, back.pendingLine());
    assertEquals(3, back.epoch());
    assertFalse(back.provisional());
  }

  @Test
  void aProvisionalCommitStaysProvisionalOnTheWire() {
    MigrationProtocol.Commit back =
        (MigrationProtocol.Commit)
            roundTrip(new MigrationProtocol.Commit("a-m1-x", 7, new byte[0], 4, true));
    assertTrue(back.provisional());
    assertEquals(4, back.epoch());
  }

  @Test
  void startTransferCarriesTheCheckpointStreamRefAndTheTraceEndpoint() {
    SourceRef<ByteString> checkpoint =
        Source.single(ByteString.fromString("x")).runWith(StreamRefs.sourceRef(), testKit.system());
    ActorRef<ByteString> endpoint = ref();
    MigrationProtocol.StartTransfer back =
        (MigrationProtocol.StartTransfer)
            roundTrip(new MigrationProtocol.StartTransfer("a-m1-x", 400_000, checkpoint, endpoint));
    StreamRefResolver resolver = StreamRefResolver.get(testKit.system());
    assertEquals(400_000, back.startInstruction());
    assertEquals(
        resolver.toSerializationFormat(checkpoint),
        resolver.toSerializationFormat(back.checkpoint()));
    assertEquals(endpoint, back.traceEndpoint());
  }

  @Test
  void startPrecopyCarriesThePageStreamRef() {
    SourceRef<ByteString> pages =
        Source.single(ByteString.fromString("x")).runWith(StreamRefs.sourceRef(), testKit.system());
    MigrationProtocol.StartPrecopy back =
        (MigrationProtocol.StartPrecopy)
            roundTrip(new MigrationProtocol.StartPrecopy("a-m2-y", pages));
    StreamRefResolver resolver = StreamRefResolver.get(testKit.system());
    assertEquals("a-m2-y", back.migrationId());
    assertEquals(
        resolver.toSerializationFormat(pages), resolver.toSerializationFormat(back.pages()));
  }

  @Test
  void everyMessageHasItsOwnManifest() {
    MigrationProtocolSerializer s = serializer();
    Stream<Object> all =
        Stream.concat(
            everyPlainMessage(),
            Stream.of(
                new MigrationProtocol.Commit("m", 1, new byte[0], 2),
                new MigrationProtocol.StartTransfer("m", 0, null, null),
                new MigrationProtocol.StartPrecopy("m", null)));
    assertEquals(14, all.map(s::manifest).distinct().count());
  }

  @Test
  void peerOfAnotherProtocolVersionIsRefusedNamingBothVersions() {
    MigrationProtocolSerializer s = serializer();
    byte[] fromVersion2 =
        MigrationProto.Abort.newBuilder()
            .setProtocolVersion(2)
            .setMigrationId("a-m1-x")
            .setReason("r")
            .build()
            .toByteArray();
    ProtocolVersionException e =
        assertThrows(ProtocolVersionException.class, () -> s.fromBinary(fromVersion2, "mAbort"));
    assertTrue(
        e.getMessage().contains("of protocol version 2: this node speaks crtr.migration version 1"),
        e.getMessage());
  }

  private static MigrationProtocolSerializer serializer() {
    return (MigrationProtocolSerializer)
        serialization.findSerializerFor(new MigrationProtocol.Abort("x", "y"));
  }
}
