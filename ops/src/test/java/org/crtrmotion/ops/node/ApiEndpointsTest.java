package org.crtrmotion.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ApiEndpointsTest {

  @Test
  void anApiBoundToOneAddressIsAdvertisedAtIt() {
    assertEquals("http://10.0.0.7:8080", ApiEndpoints.advertised("10.0.0.7", 8080, "node-a"));
  }

  @Test
  void anApiBoundToEveryAddressIsAdvertisedAtTheNodesClusterHost() {
    assertEquals("http://node-a:8080", ApiEndpoints.advertised("0.0.0.0", 8080, "node-a"));
  }

  @Test
  void anIpv6HostIsBracketed() {
    assertEquals("http://[fd00::7]:8080", ApiEndpoints.advertised("::", 8080, "fd00::7"));
  }
}
