package org.crtrmotion.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.crtrmotion.actors.migration.MigrationParameters;
import org.crtrmotion.actors.migration.NonConvergencePolicy;
import org.crtrmotion.actors.migration.Strategy;
import org.junit.jupiter.api.Test;

class MigrationRequestTest {

  @Test
  void onlyTheVmAndTheTargetAreNeededTheRestIsQemusDefaults() throws Exception {
    MigrationRequest r = MigrationRequest.parse("{\"vmId\":\"a-vm-1\",\"targetNode\":\"b\"}");
    assertEquals("a-vm-1", r.vmId());
    assertEquals("b", r.targetNode());
    assertEquals(MigrationParameters.defaults(Strategy.CRTR), r.parameters());
  }

  @Test
  void everyParameterIsTakenUnderItsName() throws Exception {
    MigrationParameters p =
        MigrationRequest.parse(
                """
                {"vmId": "a-vm-1", "targetNode": "b", "strategy": "precopy",
                 "downtimeLimitMillis": 50, "maxBandwidth": "64M", "autoConverge": false,
                 "maxRounds": 7, "deadlineSeconds": 20}
                """)
            .parameters();
    assertEquals(Strategy.PRECOPY, p.strategy());
    assertEquals(Duration.ofMillis(50), p.downtimeLimit());
    assertEquals(64L << 20, p.maxBandwidthBytesPerSecond());
    assertEquals(NonConvergencePolicy.ABORT, p.onNonConvergence());
    assertEquals(7, p.maxRounds());
    assertEquals(Duration.ofSeconds(20), p.deadline());
  }

  @Test
  void anUnknownStrategyIsRefusedNamingTheFieldAndTheKnownOnes() {
    StartRequest.Malformed e =
        assertThrows(
            StartRequest.Malformed.class,
            () ->
                MigrationRequest.parse(
                    "{\"vmId\":\"v\",\"targetNode\":\"b\",\"strategy\":\"postcopy\"}"));
    assertTrue(e.getMessage().startsWith("field 'strategy'"), e.getMessage());
    assertTrue(e.getMessage().contains("crtr, precopy"), e.getMessage());
  }

  @Test
  void anUnknownFieldIsRefusedNamingIt() {
    StartRequest.Malformed e =
        assertThrows(
            StartRequest.Malformed.class,
            () -> MigrationRequest.parse("{\"vmId\":\"v\",\"targetNode\":\"b\",\"downtime\":5}"));
    assertTrue(e.getMessage().startsWith("field 'downtime': unknown"), e.getMessage());
  }

  @Test
  void aMissingTargetIsRefusedNamingIt() {
    StartRequest.Malformed e =
        assertThrows(
            StartRequest.Malformed.class, () -> MigrationRequest.parse("{\"vmId\":\"v\"}"));
    assertEquals("field 'targetNode': missing", e.getMessage());
  }

  @Test
  void aDeadlineNotLongerThanTheDowntimeLimitIsRefusedNamingIt() {
    StartRequest.Malformed e =
        assertThrows(
            StartRequest.Malformed.class,
            () ->
                MigrationRequest.parse(
                    "{\"vmId\":\"v\",\"targetNode\":\"b\",\"downtimeLimitMillis\":5000,"
                        + "\"deadlineSeconds\":5}"));
    assertTrue(e.getMessage().startsWith("field 'deadlineSeconds'"), e.getMessage());
  }

  @Test
  void aMigrationIdNamesItsSourceNode() {
    assertEquals("node-m2", NodeMigrations.sourceNodeOf("node-m2-m17-0a1b2c3d").orElseThrow());
    assertTrue(NodeMigrations.sourceNodeOf("../etc").isEmpty());
    assertTrue(NodeMigrations.sourceNodeOf("a/b-m1-0a1b2c3d").isEmpty());
  }
}
