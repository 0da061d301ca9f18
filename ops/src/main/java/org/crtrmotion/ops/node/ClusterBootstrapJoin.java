package org.crtrmotion.ops.node;

import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Joins the cluster through Pekko Management's cluster bootstrap: serves this node's management
 * endpoint (the other nodes probe it for the members it sees) and starts the discovery of theirs.
 * The join itself happens later, once enough contact points agree; the node's API and actors run
 * meanwhile and report not ready until it is a member.
 */
final class ClusterBootstrapJoin {
  private ClusterBootstrapJoin() {}

  static void start(ActorSystem<?> system) throws Exception {
    // The endpoint must listen before discovery starts: the others' probes of it are how the
    // nodes agree on who forms the cluster.
    PekkoManagement.get(system.classicSystem())
        .start()
        .toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    ClusterBootstrap.get(system.classicSystem()).start();
  }
}
