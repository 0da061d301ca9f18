package org.crtrmotion.actors.wire;

/**
 * A message that may cross nodes: bound to {@link ClusterProtocolSerializer} in this module's
 * {@code reference.conf}. Only records listed there implement it; an actor's private messages never
 * do.
 */
public interface ClusterMessage {}
