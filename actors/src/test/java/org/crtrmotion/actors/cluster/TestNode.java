package org.crtrmotion.actors.cluster;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.crtrmotion.cluster.NodeConfig;
import org.crtrmotion.cluster.NodeSettings;

/**
 * A cluster node in this JVM, configured through {@link NodeConfig} as a real node is, on 127.0.0.1
 * and a free port, with the settings several nodes in one JVM need.
 */
final class TestNode implements AutoCloseable {
  final NodeSettings settings;
  final ActorTestKit kit;

  TestNode(String name) {
    NodeConfig config =
        NodeConfig.parse(
            """
            crtr.node {
              name = "%s"
              roles = ["host"]
              bind { host = "127.0.0.1", port = 0 }
              limits { max-vms = 4, max-memory = 256 MiB }
            }
            pekko.loglevel = WARNING
            # Only the crtr.cluster serializer may carry what crosses nodes.
            pekko.actor.allow-java-serialization = off
            pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
            pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
            pekko.cluster.run-coordinated-shutdown-when-down = off
            """
                .formatted(name));
    settings = config.settings();
    kit = ActorTestKit.create(NodeSettings.SYSTEM_NAME, config.config());
  }

  /** Joins the cluster that {@code seed} is in (itself when it is this node). */
  void join(TestNode seed) {
    Cluster.get(kit.system())
        .manager()
        .tell(Join.create(Cluster.get(seed.kit.system()).selfMember().address()));
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
  }
}
