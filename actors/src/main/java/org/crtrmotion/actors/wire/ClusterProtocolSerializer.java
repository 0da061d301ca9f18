package org.crtrmotion.actors.wire;

import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.host.HostAgent;
import org.crtrmotion.actors.wire.proto.DirectoryProto;
import org.crtrmotion.actors.wire.proto.HostProto;
import org.crtrmotion.cluster.wire.VersionedProtobufSerializer;
import org.crtrmotion.cluster.wire.WireMessage;

/**
 * The {@code crtr.cluster} protocol on the wire: host agent ({@code crtr/cluster/v1/host.proto})
 * and VM directory ({@code directory.proto}) messages. Manifests are short and never change; a
 * message that is retired keeps its manifest reserved.
 */
public final class ClusterProtocolSerializer extends VersionedProtobufSerializer {
  /** Pekko serializer id; never reused for another serializer. */
  public static final int IDENTIFIER = 7001;

  public static final String PROTOCOL = "crtr.cluster";

  /** The version this node speaks; a peer of another one is refused. */
  public static final int VERSION = 1;

  public ClusterProtocolSerializer(ExtendedActorSystem system) {
    super(system, IDENTIFIER, PROTOCOL, VERSION, messages());
  }

  private static List<WireMessage<?>> messages() {
    return List.of(
        // ---- host agent
        WireMessage.of(
            "hStart",
            HostAgent.StartVm.class,
            HostProto.StartVm.getDescriptor(),
            (m, refs) ->
                HostProto.StartVm.newBuilder()
                    .setImage(m.image())
                    .setBootargs(m.bootargs())
                    .setMemoryBytes(m.memoryBytes())
                    .setQuotaInstructionsPerSecond(m.quotaInstructionsPerSecond())
                    .setReplyTo(refs.toWire(m.replyTo()))
                    .addAllDevices(DevicesWire.toWire(m.devices()))
                    .build(),
            (b, refs) -> {
              HostProto.StartVm p = HostProto.StartVm.parseFrom(b);
              return new HostAgent.StartVm(
                  p.getImage(),
                  p.getBootargs(),
                  p.getMemoryBytes(),
                  p.getQuotaInstructionsPerSecond(),
                  DevicesWire.fromWire(p.getDevicesList()),
                  refs.fromWire(p.getReplyTo()));
            }),
        WireMessage.of(
            "hStarted",
            HostAgent.VmStarted.class,
            HostProto.VmStarted.getDescriptor(),
            (m, refs) ->
                HostProto.VmStarted.newBuilder().setVmId(m.vmId()).setNode(m.node()).build(),
            (b, refs) -> {
              HostProto.VmStarted p = HostProto.VmStarted.parseFrom(b);
              return new HostAgent.VmStarted(p.getVmId(), p.getNode());
            }),
        WireMessage.of(
            "hStartNo",
            HostAgent.StartRefused.class,
            HostProto.StartRefused.getDescriptor(),
            (m, refs) -> HostProto.StartRefused.newBuilder().setReason(m.reason()).build(),
            (b, refs) ->
                new HostAgent.StartRefused(HostProto.StartRefused.parseFrom(b).getReason())),
        WireMessage.of(
            "hStop",
            HostAgent.StopVm.class,
            HostProto.StopVm.getDescriptor(),
            (m, refs) ->
                HostProto.StopVm.newBuilder()
                    .setVmId(m.vmId())
                    .setReplyTo(refs.toWire(m.replyTo()))
                    .build(),
            (b, refs) -> {
              HostProto.StopVm p = HostProto.StopVm.parseFrom(b);
              return new HostAgent.StopVm(p.getVmId(), refs.fromWire(p.getReplyTo()));
            }),
        WireMessage.of(
            "hStopped",
            HostAgent.VmStopped.class,
            HostProto.VmStopped.getDescriptor(),
            (m, refs) ->
                HostProto.VmStopped.newBuilder()
                    .setVmId(m.vmId())
                    .setInstructions(m.instructions())
                    .build(),
            (b, refs) -> {
              HostProto.VmStopped p = HostProto.VmStopped.parseFrom(b);
              return new HostAgent.VmStopped(p.getVmId(), p.getInstructions());
            }),
        WireMessage.of(
            "hStopNo",
            HostAgent.StopRefused.class,
            HostProto.StopRefused.getDescriptor(),
            (m, refs) ->
                HostProto.StopRefused.newBuilder().setVmId(m.vmId()).setReason(m.reason()).build(),
            (b, refs) -> {
              HostProto.StopRefused p = HostProto.StopRefused.parseFrom(b);
              return new HostAgent.StopRefused(p.getVmId(), p.getReason());
            }),
        WireMessage.of(
            "hList",
            HostAgent.ListVms.class,
            HostProto.ListVms.getDescriptor(),
            (m, refs) ->
                HostProto.ListVms.newBuilder().setReplyTo(refs.toWire(m.replyTo())).build(),
            (b, refs) ->
                new HostAgent.ListVms(refs.fromWire(HostProto.ListVms.parseFrom(b).getReplyTo()))),
        WireMessage.of(
            "hVms",
            HostAgent.VmList.class,
            HostProto.VmList.getDescriptor(),
            (m, refs) -> {
              HostProto.VmList.Builder p = HostProto.VmList.newBuilder().setNode(m.node());
              for (HostAgent.VmInfo vm : m.vms()) {
                p.addVms(
                    HostProto.VmInfo.newBuilder()
                        .setVmId(vm.vmId())
                        .setImage(vm.image())
                        .setMemoryBytes(vm.memoryBytes())
                        .setQuotaInstructionsPerSecond(vm.quotaInstructionsPerSecond()));
              }
              return p.build();
            },
            (b, refs) -> {
              HostProto.VmList p = HostProto.VmList.parseFrom(b);
              return new HostAgent.VmList(
                  p.getNode(),
                  p.getVmsList().stream()
                      .map(
                          v ->
                              new HostAgent.VmInfo(
                                  v.getVmId(),
                                  v.getImage(),
                                  v.getMemoryBytes(),
                                  v.getQuotaInstructionsPerSecond()))
                      .toList());
            }),
        WireMessage.of(
            "hClaim",
            HostAgent.ClaimVms.class,
            HostProto.ClaimVms.getDescriptor(),
            (m, refs) ->
                HostProto.ClaimVms.newBuilder().setDirectory(refs.toWire(m.directory())).build(),
            (b, refs) ->
                new HostAgent.ClaimVms(
                    refs.fromWire(HostProto.ClaimVms.parseFrom(b).getDirectory()))),
        WireMessage.of(
            "hCap?",
            HostAgent.GetCapacity.class,
            HostProto.GetCapacity.getDescriptor(),
            (m, refs) ->
                HostProto.GetCapacity.newBuilder().setReplyTo(refs.toWire(m.replyTo())).build(),
            (b, refs) ->
                new HostAgent.GetCapacity(
                    refs.fromWire(HostProto.GetCapacity.parseFrom(b).getReplyTo()))),
        WireMessage.of(
            "hCap",
            HostAgent.Capacity.class,
            HostProto.Capacity.getDescriptor(),
            (m, refs) ->
                HostProto.Capacity.newBuilder()
                    .setNode(m.node())
                    .setVms(m.vms())
                    .setReservedVms(m.reservedVms())
                    .setMaxVms(m.maxVms())
                    .setMemoryBytes(m.memoryBytes())
                    .setReservedMemoryBytes(m.reservedMemoryBytes())
                    .setMaxMemoryBytes(m.maxMemoryBytes())
                    .build(),
            (b, refs) -> {
              HostProto.Capacity p = HostProto.Capacity.parseFrom(b);
              return new HostAgent.Capacity(
                  p.getNode(),
                  p.getVms(),
                  p.getReservedVms(),
                  p.getMaxVms(),
                  p.getMemoryBytes(),
                  p.getReservedMemoryBytes(),
                  p.getMaxMemoryBytes());
            }),
        WireMessage.of(
            "hOffer",
            HostAgent.OfferMigration.class,
            HostProto.OfferMigration.getDescriptor(),
            (m, refs) ->
                HostProto.OfferMigration.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setVmId(m.vmId())
                    .setMemoryBytes(m.memoryBytes())
                    .setHoldMillis(m.holdMillis())
                    .setReplyTo(refs.toWire(m.replyTo()))
                    .build(),
            (b, refs) -> {
              HostProto.OfferMigration p = HostProto.OfferMigration.parseFrom(b);
              return new HostAgent.OfferMigration(
                  p.getMigrationId(),
                  p.getVmId(),
                  p.getMemoryBytes(),
                  p.getHoldMillis(),
                  refs.fromWire(p.getReplyTo()));
            }),
        WireMessage.of(
            "hOfferOk",
            HostAgent.OfferAccepted.class,
            HostProto.OfferAccepted.getDescriptor(),
            (m, refs) ->
                HostProto.OfferAccepted.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setNode(m.node())
                    .build(),
            (b, refs) -> {
              HostProto.OfferAccepted p = HostProto.OfferAccepted.parseFrom(b);
              return new HostAgent.OfferAccepted(p.getMigrationId(), p.getNode());
            }),
        WireMessage.of(
            "hOfferNo",
            HostAgent.OfferRefused.class,
            HostProto.OfferRefused.getDescriptor(),
            (m, refs) ->
                HostProto.OfferRefused.newBuilder()
                    .setMigrationId(m.migrationId())
                    .setReason(m.reason())
                    .build(),
            (b, refs) -> {
              HostProto.OfferRefused p = HostProto.OfferRefused.parseFrom(b);
              return new HostAgent.OfferRefused(p.getMigrationId(), p.getReason());
            }),
        WireMessage.of(
            "hRelease",
            HostAgent.ReleaseOffer.class,
            HostProto.ReleaseOffer.getDescriptor(),
            (m, refs) ->
                HostProto.ReleaseOffer.newBuilder().setMigrationId(m.migrationId()).build(),
            (b, refs) ->
                new HostAgent.ReleaseOffer(HostProto.ReleaseOffer.parseFrom(b).getMigrationId())),
        // ---- VM directory
        WireMessage.of(
            "dReg",
            VmDirectory.Register.class,
            DirectoryProto.Register.getDescriptor(),
            (m, refs) ->
                DirectoryProto.Register.newBuilder()
                    .setVmId(m.vmId())
                    .setNode(m.node())
                    .setReplyTo(refs.toWire(m.replyTo()))
                    .build(),
            (b, refs) -> {
              DirectoryProto.Register p = DirectoryProto.Register.parseFrom(b);
              return new VmDirectory.Register(
                  p.getVmId(), p.getNode(), refs.fromWire(p.getReplyTo()));
            }),
        WireMessage.of(
            "dClaim",
            VmDirectory.Claim.class,
            DirectoryProto.Claim.getDescriptor(),
            (m, refs) ->
                DirectoryProto.Claim.newBuilder()
                    .setVmId(m.vmId())
                    .setNode(m.node())
                    .setEpoch(m.epoch())
                    .setReplyTo(refs.toWire(m.replyTo()))
                    .build(),
            (b, refs) -> {
              DirectoryProto.Claim p = DirectoryProto.Claim.parseFrom(b);
              return new VmDirectory.Claim(
                  p.getVmId(), p.getNode(), p.getEpoch(), refs.fromWire(p.getReplyTo()));
            }),
        WireMessage.of(
            "dLookup",
            VmDirectory.Lookup.class,
            DirectoryProto.Lookup.getDescriptor(),
            (m, refs) ->
                DirectoryProto.Lookup.newBuilder()
                    .setVmId(m.vmId())
                    .setReplyTo(refs.toWire(m.replyTo()))
                    .build(),
            (b, refs) -> {
              DirectoryProto.Lookup p = DirectoryProto.Lookup.parseFrom(b);
              return new VmDirectory.Lookup(p.getVmId(), refs.fromWire(p.getReplyTo()));
            }),
        WireMessage.of(
            "dMove",
            VmDirectory.Move.class,
            DirectoryProto.Move.getDescriptor(),
            (m, refs) ->
                DirectoryProto.Move.newBuilder()
                    .setVmId(m.vmId())
                    .setFromNode(m.fromNode())
                    .setExpectedEpoch(m.expectedEpoch())
                    .setToNode(m.toNode())
                    .setReplyTo(refs.toWire(m.replyTo()))
                    .build(),
            (b, refs) -> {
              DirectoryProto.Move p = DirectoryProto.Move.parseFrom(b);
              return new VmDirectory.Move(
                  p.getVmId(),
                  p.getFromNode(),
                  p.getExpectedEpoch(),
                  p.getToNode(),
                  refs.fromWire(p.getReplyTo()));
            }),
        WireMessage.of(
            "dLoc",
            VmDirectory.Location.class,
            DirectoryProto.Location.getDescriptor(),
            (m, refs) ->
                DirectoryProto.Location.newBuilder()
                    .setVmId(m.vmId())
                    .setNode(m.node())
                    .setEpoch(m.epoch())
                    .build(),
            (b, refs) -> {
              DirectoryProto.Location p = DirectoryProto.Location.parseFrom(b);
              return new VmDirectory.Location(p.getVmId(), p.getNode(), p.getEpoch());
            }),
        WireMessage.of(
            "dNo",
            VmDirectory.Refusal.class,
            DirectoryProto.DirectoryRefusal.getDescriptor(),
            (m, refs) ->
                DirectoryProto.DirectoryRefusal.newBuilder()
                    .setVmId(m.vmId())
                    .setReason(m.reason())
                    .build(),
            (b, refs) -> {
              DirectoryProto.DirectoryRefusal p = DirectoryProto.DirectoryRefusal.parseFrom(b);
              return new VmDirectory.Refusal(p.getVmId(), p.getReason());
            }));
  }
}
