package org.crtrmotion.actors.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.crtrmotion.cluster.NodeLimits;
import org.crtrmotion.cluster.NodeSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class HostAgentTest {
  private static final long MIB = 1L << 20;
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ActorTestKit testKit =
      ActorTestKit.create(
          ManualTime.config().withFallback(com.typesafe.config.ConfigFactory.load()));
  private static final ManualTime time = ManualTime.get(testKit.system());
  private static int agents;

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** A host agent for a node named {@code a<n>} that runs at most 2 VMs in 64 MiB. */
  private static ActorRef<HostAgent.Command> agent() {
    NodeSettings settings =
        new NodeSettings(
            "a" + ++agents,
            Set.of(NodeSettings.ROLE_HOST),
            "127.0.0.1",
            0,
            List.of(),
            Path.of("data"),
            new NodeLimits(2, 64 * MIB));
    return testKit.spawn(HostAgent.create(settings));
  }

  private static HostAgent.StartVmReply start(
      ActorRef<HostAgent.Command> agent, String image, long memoryBytes) {
    TestProbe<HostAgent.StartVmReply> reply = testKit.createTestProbe();
    agent.tell(new HostAgent.StartVm(image, "", memoryBytes, reply.ref()));
    return reply.expectMessageClass(HostAgent.StartVmReply.class, PATIENCE);
  }

  private static void stop(ActorRef<HostAgent.Command> agent, String vmId) {
    TestProbe<HostAgent.StopVmReply> reply = testKit.createTestProbe();
    agent.tell(new HostAgent.StopVm(vmId, reply.ref()));
    reply.expectMessageClass(HostAgent.VmStopped.class, PATIENCE);
  }

  private static HostAgent.Capacity capacity(ActorRef<HostAgent.Command> agent) {
    TestProbe<HostAgent.Capacity> reply = testKit.createTestProbe();
    agent.tell(new HostAgent.GetCapacity(reply.ref()));
    return reply.expectMessageClass(HostAgent.Capacity.class, PATIENCE);
  }

  private static HostAgent.OfferReply offer(
      ActorRef<HostAgent.Command> agent, String migrationId, long memoryBytes, long holdMillis) {
    TestProbe<HostAgent.OfferReply> reply = testKit.createTestProbe();
    agent.tell(
        new HostAgent.OfferMigration(migrationId, "x-vm-1", memoryBytes, holdMillis, reply.ref()));
    return reply.expectMessageClass(HostAgent.OfferReply.class, PATIENCE);
  }

  private static String refusal(Object reply) {
    if (reply instanceof HostAgent.StartRefused r) {
      return r.reason();
    }
    if (reply instanceof HostAgent.OfferRefused r) {
      return r.reason();
    }
    throw new AssertionError("expected a refusal, got " + reply);
  }

  @Test
  void startedVmIsListedUnderAnIdNamingItsNode() {
    ActorRef<HostAgent.Command> agent = agent();
    HostAgent.VmStarted started = (HostAgent.VmStarted) start(agent, "memory.elf", 16 * MIB);
    assertTrue(started.vmId().startsWith(started.node() + "-vm-"), started.vmId());
    TestProbe<HostAgent.VmList> list = testKit.createTestProbe();
    agent.tell(new HostAgent.ListVms(list.ref()));
    assertEquals(
        List.of(new HostAgent.VmInfo(started.vmId(), "memory.elf", 16 * MIB)),
        list.expectMessageClass(HostAgent.VmList.class, PATIENCE).vms());
  }

  @Test
  void aConfiguredStartWithAQuotaBootsTheVmUnderIt() {
    ActorRef<HostAgent.Command> agent = agent();
    TestProbe<HostAgent.StartVmReply> reply = testKit.createTestProbe();
    agent.tell(
        new HostAgent.StartConfiguredVm(
            "cpu.elf",
            org.crtrmotion.vm.machine.MachineConfig.defaults().withRamBytes(16 * MIB),
            1L << 16,
            5_000_000,
            reply.ref()));
    String vmId =
        ((HostAgent.VmStarted) reply.expectMessageClass(HostAgent.VmStarted.class, PATIENCE))
            .vmId();
    TestProbe<HostAgent.VmHandle> handle = testKit.createTestProbe();
    agent.tell(new HostAgent.GetVm(vmId, handle.ref()));
    assertEquals(
        5_000_000,
        handle
            .expectMessageClass(HostAgent.VmHandle.class, PATIENCE)
            .spec()
            .quotaInstructionsPerSecond());
  }

  @Test
  void capacityCountsRunningVmsAgainstTheNodeLimits() {
    ActorRef<HostAgent.Command> agent = agent();
    start(agent, "memory.elf", 16 * MIB);
    HostAgent.Capacity c = capacity(agent);
    assertEquals(1, c.vms());
    assertEquals(16 * MIB, c.memoryBytes());
    assertEquals(2, c.maxVms());
    assertEquals(64 * MIB, c.maxMemoryBytes());
  }

  @Test
  void startBeyondMaxVmsIsRefusedNamingTheLimit() {
    ActorRef<HostAgent.Command> agent = agent();
    start(agent, "memory.elf", 16 * MIB);
    start(agent, "memory.elf", 16 * MIB);
    String reason = refusal(start(agent, "memory.elf", 16 * MIB));
    assertTrue(reason.contains("crtr.node.limits.max-vms = 2"), reason);
  }

  @Test
  void startBeyondTheMemoryLimitIsRefusedNamingTheLimit() {
    String reason = refusal(start(agent(), "memory.elf", 128 * MIB));
    assertTrue(reason.contains("crtr.node.limits.max-memory"), reason);
  }

  @Test
  void startOfAnUnknownImageIsRefusedNamingTheImage() {
    String reason = refusal(start(agent(), "nope.elf", 16 * MIB));
    assertTrue(reason.contains("'nope.elf'"), reason);
  }

  @Test
  void stoppedVmFreesItsCapacity() {
    ActorRef<HostAgent.Command> agent = agent();
    HostAgent.VmStarted started = (HostAgent.VmStarted) start(agent, "memory.elf", 16 * MIB);
    TestProbe<HostAgent.StopVmReply> reply = testKit.createTestProbe();
    agent.tell(new HostAgent.StopVm(started.vmId(), reply.ref()));
    reply.expectMessageClass(HostAgent.VmStopped.class, PATIENCE);
    assertEquals(0, capacity(agent).vms());
  }

  @Test
  void acceptedOfferReservesCapacity() {
    ActorRef<HostAgent.Command> agent = agent();
    assertEquals(
        new HostAgent.OfferAccepted("m-1", "a" + agents), offer(agent, "m-1", 32 * MIB, 10_000));
    HostAgent.Capacity c = capacity(agent);
    assertEquals(1, c.reservedVms());
    assertEquals(32 * MIB, c.reservedMemoryBytes());
  }

  @Test
  void reservationCountsAgainstLaterStarts() {
    ActorRef<HostAgent.Command> agent = agent();
    offer(agent, "m-1", 48 * MIB, 10_000);
    String reason = refusal(start(agent, "memory.elf", 32 * MIB));
    assertTrue(reason.contains("16 MiB of memory left"), reason);
  }

  @Test
  void offerBeyondTheLimitsIsRefusedWithTheReason() {
    ActorRef<HostAgent.Command> agent = agent();
    String reason = refusal(offer(agent, "m-1", 65 * MIB, 10_000));
    assertTrue(reason.contains("max-memory"), reason);
  }

  @Test
  void releasedOfferFreesItsReservation() {
    ActorRef<HostAgent.Command> agent = agent();
    offer(agent, "m-1", 32 * MIB, 10_000);
    agent.tell(new HostAgent.ReleaseOffer("m-1"));
    assertEquals(0, capacity(agent).reservedVms());
  }

  @Test
  void offerIsReleasedWhenItsHoldRunsOut() {
    ActorRef<HostAgent.Command> agent = agent();
    offer(agent, "m-1", 32 * MIB, 10_000);
    time.timePasses(Duration.ofMillis(9_999));
    assertEquals(1, capacity(agent).reservedVms());
    time.timePasses(Duration.ofMillis(1));
    assertEquals(0, capacity(agent).reservedVms());
  }

  @Test
  void askedByADirectoryAHostAgentClaimsItsVmsAtEpochOneAndLaterOnesAsTheyStart() {
    ActorRef<HostAgent.Command> agent = agent();
    String first = ((HostAgent.VmStarted) start(agent, "memory.elf", 16 * MIB)).vmId();
    TestProbe<org.crtrmotion.actors.directory.VmDirectory.Command> directory =
        testKit.createTestProbe();

    agent.tell(new HostAgent.ClaimVms(directory.ref()));

    var claim =
        directory.expectMessageClass(
            org.crtrmotion.actors.directory.VmDirectory.Claim.class, PATIENCE);
    assertEquals(
        List.of(first, "a" + agents, 1L), List.of(claim.vmId(), claim.node(), claim.epoch()));
    String second = ((HostAgent.VmStarted) start(agent, "memory.elf", 16 * MIB)).vmId();
    var later =
        directory.expectMessageClass(
            org.crtrmotion.actors.directory.VmDirectory.Claim.class, PATIENCE);
    assertEquals(second, later.vmId());
    stop(agent, first);
    stop(agent, second);
  }

  @Test
  void aMigratedCopyIsClaimedAtTheEpochOfItsCommit() {
    ActorRef<HostAgent.Command> agent = agent();
    String vmId = ((HostAgent.VmStarted) start(agent, "memory.elf", 16 * MIB)).vmId();
    agent.tell(new HostAgent.VmOwned(vmId, 5));
    TestProbe<org.crtrmotion.actors.directory.VmDirectory.Command> directory =
        testKit.createTestProbe();

    agent.tell(new HostAgent.ClaimVms(directory.ref()));

    assertEquals(
        5,
        directory
            .expectMessageClass(org.crtrmotion.actors.directory.VmDirectory.Claim.class, PATIENCE)
            .epoch());
    stop(agent, vmId);
  }
}
