package org.crtrmotion.cluster.wire;

import org.apache.pekko.actor.typed.ActorRef;

/** A cross-node message of the test protocol. */
record Ping(String text, ActorRef<String> replyTo) {}
