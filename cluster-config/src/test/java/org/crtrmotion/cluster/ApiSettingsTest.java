package org.crtrmotion.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiSettingsTest {

  private static ApiSettings api(String hocon) {
    return ApiSettings.from(NodeConfig.parse(hocon).config());
  }

  private static SettingsException refused(String hocon) {
    return assertThrows(SettingsException.class, () -> api(hocon));
  }

  @Test
  void defaultsBindLoopbackWithoutTokenOrImageDirectories() {
    ApiSettings s = api("");
    assertEquals(new ApiSettings("127.0.0.1", 8080, Optional.empty(), List.of()), s);
    assertTrue(s.loopbackOnly());
  }

  @Test
  void everySettingIsReadFromCrtrNodeApi() {
    ApiSettings s =
        api(
            """
            crtr.node.api {
              bind { host = "0.0.0.0", port = 9000 }
              token = "0123456789abcdef-secret"
              image-directories = ["/srv/images/../images", "/opt/guests"]
            }
            """);
    assertEquals(
        new ApiSettings(
            "0.0.0.0",
            9000,
            Optional.of("0123456789abcdef-secret"),
            List.of(Path.of("/srv/images"), Path.of("/opt/guests"))),
        s);
  }

  @Test
  void aNonLoopbackBindWithoutTokenIsRefusedNamingTheToken() {
    SettingsException e = refused("crtr.node.api.bind.host = \"0.0.0.0\"");
    assertEquals("crtr.node.api.token", e.key());
    assertTrue(e.getMessage().contains("0.0.0.0"), e.getMessage());
  }

  @Test
  void aHostNameCountsAsReachableFromOtherHosts() {
    assertEquals("crtr.node.api.token", refused("crtr.node.api.bind.host = \"node-a\"").key());
  }

  @Test
  void aShortTokenIsRefused() {
    assertEquals("crtr.node.api.token", refused("crtr.node.api.token = \"short\"").key());
  }

  @Test
  void aPortOutOfRangeIsRefusedNamingThePort() {
    assertEquals("crtr.node.api.bind.port", refused("crtr.node.api.bind.port = 70000").key());
  }

  @Test
  void anEmptyImageDirectoryIsRefusedByIndex() {
    assertEquals(
        "crtr.node.api.image-directories[1]",
        refused("crtr.node.api.image-directories = [\"/a\", \"\"]").key());
  }
}
