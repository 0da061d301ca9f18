package org.crtrmotion.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlsSettingsTest {
  @TempDir Path dir;

  private static SettingsException refused(String hocon) {
    return assertThrows(SettingsException.class, () -> NodeConfig.parse(hocon));
  }

  @Test
  void tlsIsOffByDefaultAndArteryStaysOnTcp() {
    assertEquals("tcp", NodeConfig.parse("").config().getString("pekko.remote.artery.transport"));
  }

  @Test
  void tlsOnPutsArteryOnTlsWithMutualAuthenticationAndTheStores() throws Exception {
    Path keys = Files.writeString(dir.resolve("a.p12"), "k");
    Path trust = Files.writeString(dir.resolve("truststore.p12"), "t");
    var config =
        NodeConfig.parse(
                """
                crtr.node.tls {
                  enabled = on, key-store = "%s", trust-store = "%s", password = "pw"
                }
                """
                    .formatted(keys, trust))
            .config();
    String engine = "pekko.remote.artery.ssl.config-ssl-engine.";
    assertEquals("tls-tcp", config.getString("pekko.remote.artery.transport"));
    assertEquals(keys.toString(), config.getString(engine + "key-store"));
    assertEquals(trust.toString(), config.getString(engine + "trust-store"));
    assertEquals("pw", config.getString(engine + "trust-store-password"));
    assertTrue(config.getBoolean(engine + "require-mutual-authentication"));
  }

  @Test
  void aMissingKeyStoreIsRefusedNamingIt() {
    SettingsException e =
        refused(
            "crtr.node.tls { enabled = on, key-store = \"%s\", trust-store = \"x\", password = \"p\" }"
                .formatted(dir.resolve("none.p12")));
    assertEquals("crtr.node.tls.key-store", e.key());
    assertTrue(e.getMessage().contains("none.p12"), e.getMessage());
  }

  @Test
  void tlsWithoutPasswordIsRefusedNamingIt() throws Exception {
    Path keys = Files.writeString(dir.resolve("a.p12"), "k");
    assertEquals(
        "crtr.node.tls.password",
        refused(
                "crtr.node.tls { enabled = on, key-store = \"%s\", trust-store = \"%s\" }"
                    .formatted(keys, keys))
            .key());
  }
}
