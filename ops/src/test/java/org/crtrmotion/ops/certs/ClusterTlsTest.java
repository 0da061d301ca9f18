package org.crtrmotion.ops.certs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.crtrmotion.cluster.NodeConfig;
import org.crtrmotion.cluster.NodeSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artery over TLS with mutual authentication, configured through {@code crtr.node.tls} from stores
 * that {@link ClusterCertificates} wrote: nodes whose certificates the cluster CA signed join; a
 * node whose certificate another CA signed stays out, even though it trusts the cluster's CA.
 */
class ClusterTlsTest {
  private static final char[] PASSWORD = "test-password".toCharArray();

  @TempDir Path dir;
  private final List<ActorTestKit> nodes = new ArrayList<>();

  @AfterEach
  void stopNodes() {
    // A node refused by the others may still be retrying its TLS handshakes when the test ends;
    // how long it takes to stop is not what this test is about, so a slow stop is not a failure.
    nodes.forEach(n -> ActorTestKit.shutdown(n.system(), Duration.ofSeconds(30), false));
  }

  private ActorTestKit node(String name, Path keyStore, Path trustStore) {
    NodeConfig config =
        NodeConfig.parse(
            """
            crtr.node {
              name = "%s"
              bind { host = "127.0.0.1", port = 0 }
              tls { enabled = on, key-store = "%s", trust-store = "%s", password = "%s" }
            }
            pekko.loglevel = ERROR
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            pekko.cluster.run-coordinated-shutdown-when-down = off
            """
                .formatted(name, keyStore, trustStore, new String(PASSWORD)));
    ActorTestKit kit = ActorTestKit.create(NodeSettings.SYSTEM_NAME, config.config());
    nodes.add(kit);
    return kit;
  }

  private static Address address(ActorTestKit node) {
    return Cluster.get(node.system()).selfMember().address();
  }

  private static void join(ActorTestKit node, ActorTestKit seed) {
    Cluster.get(node.system()).manager().tell(Join.create(address(seed)));
  }

  private static Set<Address> upMembers(ActorTestKit node) {
    return StreamSupport.stream(
            Cluster.get(node.system()).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up())
        .map(Member::address)
        .collect(Collectors.toSet());
  }

  @Test
  void nodesWithCertificatesOfTheClusterCaJoinAndOneOfAnotherCaStaysOut() throws Exception {
    ClusterCertificates cluster = ClusterCertificates.newCa("cluster CA", Duration.ofDays(1));
    ClusterCertificates.Written stores =
        cluster.writeAll(dir.resolve("cluster"), List.of("a", "b", "c"), PASSWORD);
    ClusterCertificates other = ClusterCertificates.newCa("another CA", Duration.ofDays(1));
    Path rogueKeys = dir.resolve("rogue.p12");
    ClusterCertificates.writeKeyStore(other.issue("rogue"), rogueKeys, PASSWORD);

    ActorTestKit a = node("a", stores.keyStores().get(0), stores.trustStore());
    ActorTestKit b = node("b", stores.keyStores().get(1), stores.trustStore());
    ActorTestKit rogue = node("rogue", rogueKeys, stores.trustStore());
    assertEquals(
        "tls-tcp", a.system().settings().config().getString("pekko.remote.artery.transport"));
    join(a, a);
    join(b, a);
    join(rogue, a);
    // c asks to join after the rogue node: once c is in, the rogue node had its chance.
    ActorTestKit c = node("c", stores.keyStores().get(2), stores.trustStore());
    join(c, a);

    Set<Address> cluster3 = Set.of(address(a), address(b), address(c));
    a.createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(20),
            () -> {
              assertEquals(cluster3, upMembers(a));
              assertEquals(cluster3, upMembers(c));
              return null;
            });
    Set<Address> seenByA =
        StreamSupport.stream(Cluster.get(a.system()).state().getMembers().spliterator(), false)
            .map(Member::address)
            .collect(Collectors.toSet());
    assertFalse(seenByA.contains(address(rogue)), seenByA.toString());
    assertTrue(upMembers(rogue).isEmpty(), upMembers(rogue).toString());
  }
}
