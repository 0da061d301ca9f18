package org.crtrmotion.ops.node;

import java.time.Duration;

/** How long the API waits for a host agent's answer to the slow commands. */
final class HostAgentTimeouts {
  private HostAgentTimeouts() {}

  /** Longer than the host agent's own boot timeout (60 s), so its refusal arrives first. */
  static final Duration START = Duration.ofSeconds(65);

  /** Longer than the host agent's stop timeout (30 s). */
  static final Duration STOP = Duration.ofSeconds(35);
}
