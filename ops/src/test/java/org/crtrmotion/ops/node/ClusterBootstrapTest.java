package org.crtrmotion.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.crtrmotion.cluster.ApiSettings;
import org.crtrmotion.cluster.NodeConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three nodes without seed nodes find each other through Pekko Management's cluster bootstrap (the
 * {@code config} discovery method standing in for the DNS of a Kubernetes headless Service) and
 * form one cluster; none of them was told to start it.
 */
class ClusterBootstrapTest {
  private static final List<String> NAMES = List.of("boot-a", "boot-b", "boot-c");
  private static final List<CrtrNode> nodes = new ArrayList<>();

  @TempDir static Path dir;

  @BeforeAll
  static void startNodesWithBootstrapOnly() throws IOException {
    List<Integer> managementPorts = new ArrayList<>();
    for (int i = 0; i < NAMES.size(); i++) {
      managementPorts.add(freePort());
    }
    String contactPoints =
        managementPorts.stream()
            .map(p -> "\"127.0.0.1:" + p + "\"")
            .collect(Collectors.joining(", ", "[", "]"));
    for (int i = 0; i < NAMES.size(); i++) {
      NodeConfig config =
          NodeConfig.parse(
              """
              crtr.node {
                name = "%s"
                bind { host = "127.0.0.1", port = 0 }
                data-directory = "%s"
                limits { max-vms = 1, max-memory = 32 MiB }
                api.bind { host = "127.0.0.1", port = 0 }
                bootstrap {
                  enabled = on
                  discovery-method = config
                  required-contact-points = 3
                  contact-points = %s
                  management.port = %d
                }
              }
              pekko.loglevel = WARNING
              pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
              pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
              # How long discovery must see the same contact points before forming: short here,
              # where all three are started at once.
              pekko.management.cluster.bootstrap.contact-point-discovery.stable-margin = 1s
              """
                  .formatted(
                      NAMES.get(i),
                      dir.resolve(NAMES.get(i)),
                      contactPoints,
                      managementPorts.get(i)));
      nodes.add(CrtrNode.start(config, ApiSettings.from(config.config())));
    }
  }

  @AfterAll
  static void stopNodes() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }

  @Test
  void threeNodesWithoutSeedsFormOneClusterAndEachBecomesReady() throws Exception {
    for (CrtrNode node : nodes) {
      Http.awaitAssert(
          Duration.ofSeconds(90),
          () -> assertEquals(NAMES.size(), upMemberPorts(node).size(), "members up"));
      Http.awaitAssert(
          Duration.ofSeconds(30),
          () ->
              assertEquals(
                  200, Http.get("http://127.0.0.1:" + node.apiPort() + "/ready").status()));
    }
    Set<Integer> seenByFirst = upMemberPorts(nodes.get(0));
    for (CrtrNode node : nodes) {
      assertEquals(seenByFirst, upMemberPorts(node), "every node sees the same members");
    }
  }

  private static Set<Integer> upMemberPorts(CrtrNode node) {
    return StreamSupport.stream(
            Cluster.get(node.system()).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up())
        .map(m -> (Integer) m.address().getPort().get())
        .collect(Collectors.toSet());
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
