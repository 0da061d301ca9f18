package org.crtrmotion.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapSettingsTest {
  private static final String BOOTSTRAP = "pekko.management.cluster.bootstrap.";

  private static SettingsException refused(String hocon) {
    return assertThrows(SettingsException.class, () -> NodeConfig.parse(hocon));
  }

  @Test
  void bootstrapIsOffByDefaultAndNoManagementEndpointIsConfigured() {
    Config config = NodeConfig.parse("").config();
    assertFalse(config.hasPath(BOOTSTRAP + "contact-point-discovery.required-contact-point-nr"));
  }

  @Test
  void dnsDiscoveryLooksTheServiceUpAndContactsEveryNodeOnTheManagementPort() {
    Config config =
        NodeConfig.parse(
                """
                crtr.node.bind.host = "crtr-0.crtr"
                crtr.node.bootstrap { enabled = on, service-name = "crtr.default.svc" }
                """)
            .config();
    assertEquals(
        "pekko-dns", config.getString(BOOTSTRAP + "contact-point-discovery.discovery-method"));
    assertEquals(
        "crtr.default.svc", config.getString(BOOTSTRAP + "contact-point-discovery.service-name"));
    assertEquals(3, config.getInt(BOOTSTRAP + "contact-point-discovery.required-contact-point-nr"));
    assertEquals(8558, config.getInt(BOOTSTRAP + "contact-point.fallback-port"));
    assertEquals("crtr-0.crtr", config.getString("pekko.management.http.hostname"));
    assertEquals(8558, config.getInt("pekko.management.http.port"));
  }

  @Test
  void configDiscoveryListsTheContactPointsAsTheServicesEndpoints() {
    Config config =
        NodeConfig.parse(
                """
                crtr.node.bootstrap {
                  enabled = on, discovery-method = config, required-contact-points = 2
                  contact-points = ["127.0.0.1:18001", "127.0.0.1:18002"]
                  management.port = 18001
                }
                """)
            .config();
    List<? extends Config> endpoints =
        config.getConfigList("pekko.discovery.config.services.crtr.endpoints");
    assertEquals(2, endpoints.size());
    assertEquals(18002, endpoints.get(1).getInt("port"));
    assertEquals("127.0.0.1", endpoints.get(0).getString("host"));
  }

  @Test
  void bootstrapWithSeedNodesIsRefusedNamingBoth() {
    SettingsException e =
        refused(
            """
            crtr.node.seed-nodes = ["a:25520"]
            crtr.node.bootstrap.enabled = on
            """);
    assertEquals("crtr.node.bootstrap.enabled", e.key());
    assertTrue(e.getMessage().contains("seed-nodes"), e.getMessage());
  }

  @Test
  void anUnknownDiscoveryMethodIsRefusedNamingIt() {
    SettingsException e =
        refused("crtr.node.bootstrap { enabled = on, discovery-method = kubernetes-api }");
    assertEquals("crtr.node.bootstrap.discovery-method", e.key());
    assertTrue(e.getMessage().contains("kubernetes-api"), e.getMessage());
  }

  @Test
  void configDiscoveryWithFewerContactPointsThanRequiredIsRefused() {
    SettingsException e =
        refused(
            """
            crtr.node.bootstrap {
              enabled = on, discovery-method = config, contact-points = ["127.0.0.1:18001"]
            }
            """);
    assertEquals("crtr.node.bootstrap.contact-points", e.key());
  }

  @Test
  void aMalformedContactPointIsRefusedWithItsIndex() {
    SettingsException e =
        refused(
            """
            crtr.node.bootstrap {
              enabled = on, discovery-method = config, required-contact-points = 1
              contact-points = ["nohost"]
            }
            """);
    assertEquals("crtr.node.bootstrap.contact-points[0]", e.key());
  }

  @Test
  void managementPortZeroIsRefusedBecauseTheOthersCouldNotFindIt() {
    SettingsException e = refused("crtr.node.bootstrap { enabled = on, management.port = 0 }");
    assertEquals("crtr.node.bootstrap.management.port", e.key());
  }
}
