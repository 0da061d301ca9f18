package org.crtrmotion.actors.directory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class VmDirectoryTest {
  private static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static VmDirectory.Reply ask(
      ActorRef<VmDirectory.Command> directory,
      Function<ActorRef<VmDirectory.Reply>, VmDirectory.Command> request) {
    TestProbe<VmDirectory.Reply> reply = testKit.createTestProbe();
    directory.tell(request.apply(reply.ref()));
    return reply.expectMessageClass(VmDirectory.Reply.class, Duration.ofSeconds(10));
  }

  private static ActorRef<VmDirectory.Command> directoryWith(String vmId, String node) {
    ActorRef<VmDirectory.Command> d = testKit.spawn(VmDirectory.create());
    ask(d, r -> new VmDirectory.Register(vmId, node, r));
    return d;
  }

  @Test
  void registeredVmLivesOnItsNodeAtEpochOne() {
    ActorRef<VmDirectory.Command> d = directoryWith("v", "a");
    assertEquals(
        new VmDirectory.Location("v", "a", 1), ask(d, r -> new VmDirectory.Lookup("v", r)));
  }

  @Test
  void secondRegistrationOfAnIdIsRefusedNamingTheOwner() {
    ActorRef<VmDirectory.Command> d = directoryWith("v", "a");
    assertEquals(
        new VmDirectory.Refusal("v", "already registered: v lives on a at epoch 1"),
        ask(d, r -> new VmDirectory.Register("v", "b", r)));
  }

  @Test
  void lookupOfAnUnknownVmIsRefused() {
    ActorRef<VmDirectory.Command> d = testKit.spawn(VmDirectory.create());
    assertEquals(
        new VmDirectory.Refusal("v", "unknown VM v"), ask(d, r -> new VmDirectory.Lookup("v", r)));
  }

  @Test
  void eachMoveBumpsTheEpochByOne() {
    ActorRef<VmDirectory.Command> d = directoryWith("v", "a");
    ask(d, r -> new VmDirectory.Move("v", "a", 1, "b", r));
    assertEquals(
        new VmDirectory.Location("v", "c", 3),
        ask(d, r -> new VmDirectory.Move("v", "b", 2, "c", r)));
  }

  @Test
  void moveAtAStaleEpochIsRefusedAndChangesNothing() {
    ActorRef<VmDirectory.Command> d = directoryWith("v", "a");
    ask(d, r -> new VmDirectory.Move("v", "a", 1, "b", r));
    assertEquals(
        new VmDirectory.Refusal("v", "stale move of v from a at epoch 1: v lives on b at epoch 2"),
        ask(d, r -> new VmDirectory.Move("v", "a", 1, "c", r)));
    assertEquals(
        new VmDirectory.Location("v", "b", 2), ask(d, r -> new VmDirectory.Lookup("v", r)));
  }

  @Test
  void moveFromANodeThatIsNotTheOwnerIsRefused() {
    ActorRef<VmDirectory.Command> d = directoryWith("v", "a");
    assertEquals(
        new VmDirectory.Refusal("v", "stale move of v from b at epoch 1: v lives on a at epoch 1"),
        ask(d, r -> new VmDirectory.Move("v", "b", 1, "c", r)));
  }

  @Test
  void aClaimOfAnUnknownVmIsTakenAtItsEpoch() {
    ActorRef<VmDirectory.Command> d = testKit.spawn(VmDirectory.create());
    assertEquals(
        new VmDirectory.Location("v", "c", 4), ask(d, r -> new VmDirectory.Claim("v", "c", 4, r)));
    assertEquals(
        new VmDirectory.Location("v", "c", 4), ask(d, r -> new VmDirectory.Lookup("v", r)));
  }

  @Test
  void aClaimAtANewerEpochReplacesTheEntryAndTheSameClaimIsAnsweredAsItStands() {
    ActorRef<VmDirectory.Command> d = directoryWith("v", "a");
    assertEquals(
        new VmDirectory.Location("v", "b", 2), ask(d, r -> new VmDirectory.Claim("v", "b", 2, r)));
    assertEquals(
        new VmDirectory.Location("v", "b", 2), ask(d, r -> new VmDirectory.Claim("v", "b", 2, r)));
  }

  @Test
  void aStaleClaimIsRefusedNamingTheHolder() {
    ActorRef<VmDirectory.Command> d = testKit.spawn(VmDirectory.create());
    ask(d, r -> new VmDirectory.Claim("v", "b", 2, r));
    assertEquals(
        new VmDirectory.Refusal("v", "stale claim of v by a at epoch 1: v lives on b at epoch 2"),
        ask(d, r -> new VmDirectory.Claim("v", "a", 1, r)));
    assertEquals(
        new VmDirectory.Location("v", "b", 2), ask(d, r -> new VmDirectory.Lookup("v", r)));
  }

  @Test
  void registeringAgainFromItsOwnerIsAnsweredWithWhereTheVmIs() {
    ActorRef<VmDirectory.Command> d = directoryWith("v", "a");
    assertEquals(
        new VmDirectory.Location("v", "a", 1), ask(d, r -> new VmDirectory.Register("v", "a", r)));
  }

  @Test
  void aNewDirectoryAsksEveryHostAgentTheReceptionistListsToClaimItsVms() {
    TestProbe<org.crtrmotion.actors.host.HostAgent.Command> agent = testKit.createTestProbe();
    testKit
        .system()
        .receptionist()
        .tell(
            org.apache.pekko.actor.typed.receptionist.Receptionist.register(
                org.crtrmotion.actors.host.HostAgent.KEY, agent.ref()));
    ActorRef<VmDirectory.Command> d = testKit.spawn(VmDirectory.create());
    // Every directory of this test system asks the new agent too: wait for this one's question.
    agent.fishForMessage(
        Duration.ofSeconds(10),
        m ->
            m.equals(new org.crtrmotion.actors.host.HostAgent.ClaimVms(d))
                ? org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.complete()
                : org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes.continueAndIgnore());
  }
}
