package org.crtrmotion.cluster.wire;

import org.apache.pekko.actor.typed.ActorRef;

/** Actor references in a wire message: their serialization format, through ActorRefResolver. */
public interface Refs {
  /** The string that names {@code ref} on every node of the cluster. */
  String toWire(ActorRef<?> ref);

  /** The reference a {@link #toWire} string names, on this node. */
  <T> ActorRef<T> fromWire(String wire);
}
