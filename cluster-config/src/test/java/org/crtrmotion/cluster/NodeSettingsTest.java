package org.crtrmotion.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodeSettingsTest {

  private static SettingsException refused(String hocon) {
    return assertThrows(SettingsException.class, () -> NodeConfig.parse(hocon));
  }

  @Test
  void defaultsDescribeASingleHostNode() {
    NodeSettings s = NodeConfig.parse("").settings();
    assertEquals("crtr-node", s.name());
    assertEquals(Set.of("host"), s.roles());
    assertTrue(s.isHost());
    assertEquals(List.of(), s.seedNodes());
    assertEquals(new NodeLimits(16, 4L << 30), s.limits());
  }

  @Test
  void everySettingIsReadFromCrtrNode() {
    NodeSettings s =
        NodeConfig.parse(
                """
                crtr.node {
                  name = "b-7"
                  roles = ["host", "edge"]
                  bind { host = "10.0.0.7", port = 2552 }
                  seed-nodes = ["10.0.0.1:2552", "seed.example:2553"]
                  data-directory = "/var/lib/crtr"
                  limits { max-vms = 3, max-memory = 512 MiB }
                }
                """)
            .settings();
    assertEquals(
        new NodeSettings(
            "b-7",
            Set.of("host", "edge"),
            "10.0.0.7",
            2552,
            List.of(new SeedNode("10.0.0.1", 2552), new SeedNode("seed.example", 2553)),
            Path.of("/var/lib/crtr"),
            new NodeLimits(3, 512L << 20)),
        s);
  }

  @Test
  void pekkoAddressRolesAndSeedsAreDerivedFromTheNodeSettings() {
    var config =
        NodeConfig.parse(
                """
                crtr.node { roles = ["host"], bind { host = "10.0.0.7", port = 2552 }
                            seed-nodes = ["10.0.0.1:2552"] }
                """)
            .config();
    assertEquals("cluster", config.getString("pekko.actor.provider"));
    assertEquals("10.0.0.7", config.getString("pekko.remote.artery.canonical.hostname"));
    assertEquals(2552, config.getInt("pekko.remote.artery.canonical.port"));
    assertEquals(List.of("host"), config.getStringList("pekko.cluster.roles"));
    assertEquals(
        List.of("pekko://crtr@10.0.0.1:2552"), config.getStringList("pekko.cluster.seed-nodes"));
  }

  @Test
  void splitBrainResolverKeepsTheMajority() {
    var config = NodeConfig.parse("").config();
    assertEquals(
        "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider",
        config.getString("pekko.cluster.downing-provider-class"));
    assertEquals(
        "keep-majority", config.getString("pekko.cluster.split-brain-resolver.active-strategy"));
  }

  @Test
  void portOutOfRangeIsRefusedNamingTheKey() {
    SettingsException e = refused("crtr.node.bind.port = 70000");
    assertEquals("crtr.node.bind.port", e.key());
    assertTrue(
        e.getMessage().startsWith("crtr.node.bind.port: must be in 0..65535"), e.getMessage());
  }

  @Test
  void portOfTheWrongTypeIsRefusedNamingTheKey() {
    assertEquals("crtr.node.bind.port", refused("crtr.node.bind.port = lots").key());
  }

  @Test
  void malformedSeedNodeIsRefusedNamingItsIndex() {
    SettingsException e = refused("crtr.node.seed-nodes = [\"a:1\", \"b\"]");
    assertEquals("crtr.node.seed-nodes[1]", e.key());
    assertTrue(e.getMessage().contains("expected host:port, was 'b'"), e.getMessage());
  }

  @Test
  void zeroMaxVmsIsRefusedNamingTheKey() {
    assertEquals("crtr.node.limits.max-vms", refused("crtr.node.limits.max-vms = 0").key());
  }

  @Test
  void memoryLimitThatIsNotASizeIsRefusedNamingTheKey() {
    assertEquals(
        "crtr.node.limits.max-memory", refused("crtr.node.limits.max-memory = plenty").key());
  }

  @Test
  void nodeNameWithCapitalsIsRefusedNamingTheKey() {
    assertEquals("crtr.node.name", refused("crtr.node.name = \"Node A\"").key());
  }

  @Test
  void missingSettingIsRefusedNamingTheKey() {
    SettingsException e =
        assertThrows(
            SettingsException.class,
            () -> NodeSettings.from(com.typesafe.config.ConfigFactory.parseString("crtr.node {}")));
    assertEquals("crtr.node.name", e.key());
    assertTrue(e.getMessage().endsWith("is missing"), e.getMessage());
  }
}
