package org.crtrmotion.actors.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.crtrmotion.actors.directory.VmDirectory;
import org.crtrmotion.actors.host.HostAgent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two cluster nodes, a and b, in this JVM: what one asks of the other crosses Artery and the
 * crtr.cluster serializer (Java serialization is off), as between hosts.
 */
class AcrossNodesTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static TestNode a;
  private static TestNode b;
  private static ActorRef<VmDirectory.Command> directoryFromA;
  private static ActorRef<VmDirectory.Command> directoryFromB;

  @BeforeAll
  static void start() {
    a = new TestNode("a");
    b = new TestNode("b");
    a.join(a);
    b.join(a);
    directoryFromA = VmDirectory.init(a.kit.system());
    directoryFromB = VmDirectory.init(b.kit.system());
  }

  @AfterAll
  static void stop() {
    b.close();
    a.close();
  }

  /** b's host agent as a sees it through the receptionist, once the registration has reached a. */
  private static ActorRef<HostAgent.Command> hostAgentOfBFromA(
      ActorRef<HostAgent.Command> agentOnB) {
    TestProbe<Receptionist.Listing> listings = a.kit.createTestProbe();
    a.kit.system().receptionist().tell(Receptionist.subscribe(HostAgent.KEY, listings.ref()));
    // Each change of the registrations is a listing: wait for the one that has b's agent.
    while (true) {
      Set<ActorRef<HostAgent.Command>> agents =
          listings.receiveMessage(PATIENCE).getServiceInstances(HostAgent.KEY);
      for (ActorRef<HostAgent.Command> agent : agents) {
        // a's reference carries b's address; b's own reference is local, without one.
        if (agent.path().address().equals(b.kit.system().address())
            && agent.path().elements().equals(agentOnB.path().elements())) {
          return agent;
        }
      }
    }
  }

  @Test
  void hostAgentOnBIsFoundFromAAndStartsAVmThere() {
    ActorRef<HostAgent.Command> agentOnB = b.kit.spawn(HostAgent.create(b.settings), "host-agent");
    ActorRef<HostAgent.Command> agent = hostAgentOfBFromA(agentOnB);
    assertEquals(b.kit.system().address(), agent.path().address(), "b's agent, remote from a");

    TestProbe<HostAgent.StartVmReply> started = a.kit.createTestProbe();
    agent.tell(new HostAgent.StartVm("memory.elf", "ticks=0", 16L << 20, started.ref()));
    HostAgent.VmStarted vm = started.expectMessageClass(HostAgent.VmStarted.class, PATIENCE);
    assertEquals("b", vm.node());

    TestProbe<HostAgent.VmList> list = a.kit.createTestProbe();
    agent.tell(new HostAgent.ListVms(list.ref()));
    HostAgent.VmList vms = list.expectMessageClass(HostAgent.VmList.class, PATIENCE);
    assertEquals("b", vms.node());
    assertEquals(vm.vmId(), vms.vms().get(0).vmId());

    TestProbe<HostAgent.Capacity> capacity = a.kit.createTestProbe();
    agent.tell(new HostAgent.GetCapacity(capacity.ref()));
    assertEquals(1, capacity.expectMessageClass(HostAgent.Capacity.class, PATIENCE).vms());

    TestProbe<HostAgent.StopVmReply> stopped = a.kit.createTestProbe();
    agent.tell(new HostAgent.StopVm(vm.vmId(), stopped.ref()));
    stopped.expectMessageClass(HostAgent.VmStopped.class, PATIENCE);
  }

  private static VmDirectory.Reply ask(
      TestNode node,
      ActorRef<VmDirectory.Command> directory,
      java.util.function.Function<ActorRef<VmDirectory.Reply>, VmDirectory.Command> request) {
    TestProbe<VmDirectory.Reply> reply = node.kit.createTestProbe();
    directory.tell(request.apply(reply.ref()));
    return reply.expectMessageClass(VmDirectory.Reply.class, PATIENCE);
  }

  @Test
  void vmRegisteredFromAIsFoundFromB() {
    assertEquals(
        new VmDirectory.Location("a-vm-1", "a", 1),
        ask(a, directoryFromA, r -> new VmDirectory.Register("a-vm-1", "a", r)));
    assertEquals(
        new VmDirectory.Location("a-vm-1", "a", 1),
        ask(b, directoryFromB, r -> new VmDirectory.Lookup("a-vm-1", r)));
  }

  @Test
  void moveFromBBumpsTheEpochAndAStaleMoveIsFenced() {
    ask(a, directoryFromA, r -> new VmDirectory.Register("a-vm-2", "a", r));
    assertEquals(
        new VmDirectory.Location("a-vm-2", "b", 2),
        ask(b, directoryFromB, r -> new VmDirectory.Move("a-vm-2", "a", 1, "b", r)));
    VmDirectory.Reply stale =
        ask(a, directoryFromA, r -> new VmDirectory.Move("a-vm-2", "a", 1, "a", r));
    assertTrue(stale instanceof VmDirectory.Refusal, String.valueOf(stale));
    assertTrue(
        ((VmDirectory.Refusal) stale).reason().contains("a-vm-2 lives on b at epoch 2"),
        String.valueOf(stale));
  }
}
