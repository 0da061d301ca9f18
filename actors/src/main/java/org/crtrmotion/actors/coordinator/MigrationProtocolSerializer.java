package org.crtrmotion.actors.coordinator;

import com.google.protobuf.ByteString;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.stream.StreamRefResolver;
import org.crtrmotion.actors.coordinator.MigrationProtocol.Abort;
import org.crtrmotion.actors.coordinator.MigrationProtocol.Accepted;
import org.crtrmotion.actors.coordinator.MigrationProtocol.CaughtUp;
import org.crtrmotion.actors.coordinator.MigrationProtocol.Commit;
import org.crtrmotion.actors.coordinator.MigrationProtocol.Live;
import org.crtrmotion.actors.coordinator.MigrationProtocol.Prepare;
import org.crtrmotion.actors.coordinator.MigrationProtocol.Progress;
import org.crtrmotion.actors.coordinator.MigrationProtocol.ProgressQuery;
import org.crtrmotion.actors.coordinator.MigrationProtocol.Refused;
import org.crtrmotion.actors.coordinator.MigrationProtocol.StartPrecopy;
import org.crtrmotion.actors.coordinator.MigrationProtocol.StartTransfer;
import org.crtrmotion.actors.coordinator.MigrationProtocol.SwitchStrategy;
import org.crtrmotion.actors.coordinator.MigrationProtocol.Switched;
import org.crtrmotion.actors.coordinator.MigrationProtocol.TargetFailed;
import org.crtrmotion.actors.migration.Strategy;
import org.crtrmotion.actors.wire.DevicesWire;
import org.crtrmotion.actors.wire.proto.MigrationProto;
import org.crtrmotion.cluster.wire.VersionedProtobufSerializer;
import org.crtrmotion.cluster.wire.WireMessage;
import org.crtrmotion.vm.state.StateDigest;
import org.crtrmotion.vm.time.TimeMode;

/**
 * The {@code crtr.migration} protocol on the wire ({@code crtr/migration/v1/migration.proto}):
 * short stable manifests, the version in field 1 (another version is refused naming both), actor
 * references through {@code ActorRefResolver} and stream references through {@link
 * StreamRefResolver}'s string format.
 */
public final class MigrationProtocolSerializer extends VersionedProtobufSerializer {
  /** Pekko serializer id; never reused for another serializer. */
  public static final int IDENTIFIER = 7002;

  public static final String PROTOCOL = "crtr.migration";

  /** The version this node speaks; a peer of another one is refused. */
  public static final int VERSION = 1;

  public MigrationProtocolSerializer(ExtendedActorSystem system) {
    super(system, IDENTIFIER, PROTOCOL, VERSION, messages(StreamRefResolver.get(system)));
  }

  private static List<WireMessage<?>> messages(StreamRefResolver streamRefs) {
    return List.of(
        WireMessage.of(
            "mPrepare",
            Prepare.class,
            MigrationProto.Prepare.getDescriptor(),
            (m, refs) ->
                MigrationProto.Prepare.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setVmId(m.vmId())
                    .setSourceNode(m.sourceNode())
                    .setStrategy(m.strategy().cliName())
                    .setImage(m.image())
                    .setBootargs(m.bootargs())
                    .setMemoryBytes(m.memoryBytes())
                    .setTimeMode(m.timeMode().name())
                    .setInstructionsPerTick(m.instructionsPerTick())
                    .setSliceInstructions(m.sliceInstructions())
                    .setQuotaInstructionsPerSecond(m.quotaInstructionsPerSecond())
                    .setDeadlineMillis(m.deadlineMillis())
                    .setSource(refs.toWire(m.source()))
                    .addAllDevices(DevicesWire.toWire(m.devices()))
                    .build(),
            (b, refs) -> {
              MigrationProto.Prepare p = MigrationProto.Prepare.parseFrom(b);
              return new Prepare(
                  p.getMigrationId(),
                  p.getVmId(),
                  p.getSourceNode(),
                  Strategy.parse(p.getStrategy()),
                  p.getImage(),
                  p.getBootargs(),
                  p.getMemoryBytes(),
                  TimeMode.valueOf(p.getTimeMode()),
                  p.getInstructionsPerTick(),
                  p.getSliceInstructions(),
                  p.getQuotaInstructionsPerSecond(),
                  p.getDeadlineMillis(),
                  refs.fromWire(p.getSource()),
                  DevicesWire.fromWire(p.getDevicesList()));
            }),
        WireMessage.of(
            "mAccepted",
            Accepted.class,
            MigrationProto.Accepted.getDescriptor(),
            (m, refs) ->
                MigrationProto.Accepted.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setTargetNode(m.targetNode())
                    .setTarget(refs.toWire(m.target()))
                    .build(),
            (b, refs) -> {
              MigrationProto.Accepted p = MigrationProto.Accepted.parseFrom(b);
              return new Accepted(
                  p.getMigrationId(), p.getTargetNode(), refs.fromWire(p.getTarget()));
            }),
        WireMessage.of(
            "mRefused",
            Refused.class,
            MigrationProto.Refused.getDescriptor(),
            (m, refs) ->
                MigrationProto.Refused.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setReason(m.reason())
                    .build(),
            (b, refs) -> {
              MigrationProto.Refused p = MigrationProto.Refused.parseFrom(b);
              return new Refused(p.getMigrationId(), p.getReason());
            }),
        WireMessage.of(
            "mStart",
            StartTransfer.class,
            MigrationProto.StartTransfer.getDescriptor(),
            (m, refs) ->
                MigrationProto.StartTransfer.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setStartInstruction(m.startInstruction())
                    .setCheckpointRef(streamRefs.toSerializationFormat(m.checkpoint()))
                    .setTraceEndpoint(refs.toWire(m.traceEndpoint()))
                    .build(),
            (b, refs) -> {
              MigrationProto.StartTransfer p = MigrationProto.StartTransfer.parseFrom(b);
              return new StartTransfer(
                  p.getMigrationId(),
                  p.getStartInstruction(),
                  streamRefs.resolveSourceRef(p.getCheckpointRef()),
                  refs.fromWire(p.getTraceEndpoint()));
            }),
        WireMessage.of(
            "mStartPre",
            StartPrecopy.class,
            MigrationProto.StartPrecopy.getDescriptor(),
            (m, refs) ->
                MigrationProto.StartPrecopy.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setPagesRef(streamRefs.toSerializationFormat(m.pages()))
                    .build(),
            (b, refs) -> {
              MigrationProto.StartPrecopy p = MigrationProto.StartPrecopy.parseFrom(b);
              return new StartPrecopy(
                  p.getMigrationId(), streamRefs.resolveSourceRef(p.getPagesRef()));
            }),
        WireMessage.of(
            "mProgress?",
            ProgressQuery.class,
            MigrationProto.ProgressQuery.getDescriptor(),
            (m, refs) ->
                MigrationProto.ProgressQuery.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setReplyTo(refs.toWire(m.replyTo()))
                    .build(),
            (b, refs) -> {
              MigrationProto.ProgressQuery p = MigrationProto.ProgressQuery.parseFrom(b);
              return new ProgressQuery(p.getMigrationId(), refs.fromWire(p.getReplyTo()));
            }),
        WireMessage.of(
            "mProgress",
            Progress.class,
            MigrationProto.Progress.getDescriptor(),
            (m, refs) ->
                MigrationProto.Progress.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setRestored(m.restored())
                    .setReplayedInstructions(m.replayedInstructions())
                    .setReplayInstructionsPerSecond(m.replayInstructionsPerSecond())
                    .build(),
            (b, refs) -> {
              MigrationProto.Progress p = MigrationProto.Progress.parseFrom(b);
              return new Progress(
                  p.getMigrationId(),
                  p.getRestored(),
                  p.getReplayedInstructions(),
                  p.getReplayInstructionsPerSecond());
            }),
        WireMessage.of(
            "mCaughtUp",
            CaughtUp.class,
            MigrationProto.CaughtUp.getDescriptor(),
            (m, refs) ->
                MigrationProto.CaughtUp.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setInstructions(m.instructions())
                    .setDigestHigh(m.digest().high())
                    .setDigestLow(m.digest().low())
                    .setOutputDigest(m.outputDigest())
                    .build(),
            (b, refs) -> {
              MigrationProto.CaughtUp p = MigrationProto.CaughtUp.parseFrom(b);
              return new CaughtUp(
                  p.getMigrationId(),
                  p.getInstructions(),
                  new StateDigest(p.getDigestHigh(), p.getDigestLow()),
                  p.getOutputDigest());
            }),
        WireMessage.of(
            "mCommit",
            Commit.class,
            MigrationProto.Commit.getDescriptor(),
            (m, refs) ->
                MigrationProto.Commit.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setNextLineNumber(m.nextLineNumber())
                    .setPendingLine(ByteString.copyFrom(m.pendingLine()))
                    .setEpoch(m.epoch())
                    .setProvisional(m.provisional())
                    .build(),
            (b, refs) -> {
              MigrationProto.Commit p = MigrationProto.Commit.parseFrom(b);
              return new Commit(
                  p.getMigrationId(),
                  p.getNextLineNumber(),
                  p.getPendingLine().toByteArray(),
                  p.getEpoch(),
                  p.getProvisional());
            }),
        WireMessage.of(
            "mLive",
            Live.class,
            MigrationProto.Live.getDescriptor(),
            (m, refs) ->
                MigrationProto.Live.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setInstructions(m.instructions())
                    .setFirstLineNumber(m.firstLineNumber())
                    .build(),
            (b, refs) -> {
              MigrationProto.Live p = MigrationProto.Live.parseFrom(b);
              return new Live(p.getMigrationId(), p.getInstructions(), p.getFirstLineNumber());
            }),
        WireMessage.of(
            "mAbort",
            Abort.class,
            MigrationProto.Abort.getDescriptor(),
            (m, refs) ->
                MigrationProto.Abort.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setReason(m.reason())
                    .build(),
            (b, refs) -> {
              MigrationProto.Abort p = MigrationProto.Abort.parseFrom(b);
              return new Abort(p.getMigrationId(), p.getReason());
            }),
        WireMessage.of(
            "mSwitch",
            SwitchStrategy.class,
            MigrationProto.SwitchStrategy.getDescriptor(),
            (m, refs) ->
                MigrationProto.SwitchStrategy.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setStrategy(m.strategy().cliName())
                    .build(),
            (b, refs) -> {
              MigrationProto.SwitchStrategy p = MigrationProto.SwitchStrategy.parseFrom(b);
              return new SwitchStrategy(p.getMigrationId(), Strategy.parse(p.getStrategy()));
            }),
        WireMessage.of(
            "mSwitched",
            Switched.class,
            MigrationProto.Switched.getDescriptor(),
            (m, refs) ->
                MigrationProto.Switched.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setStrategy(m.strategy().cliName())
                    .build(),
            (b, refs) -> {
              MigrationProto.Switched p = MigrationProto.Switched.parseFrom(b);
              return new Switched(p.getMigrationId(), Strategy.parse(p.getStrategy()));
            }),
        WireMessage.of(
            "mFailed",
            TargetFailed.class,
            MigrationProto.TargetFailed.getDescriptor(),
            (m, refs) ->
                MigrationProto.TargetFailed.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setReason(m.reason())
                    .build(),
            (b, refs) -> {
              MigrationProto.TargetFailed p = MigrationProto.TargetFailed.parseFrom(b);
              return new TargetFailed(p.getMigrationId(), p.getReason());
            }));
  }
}
