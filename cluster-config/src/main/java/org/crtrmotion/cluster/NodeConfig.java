package org.crtrmotion.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a node starts from: its {@link NodeSettings} and the complete actor-system config they
 * imply. A node's main and the tests both go through {@link #load}, so a test cluster is configured
 * as a real one is.
 *
 * @param settings the typed {@code crtr.node} settings
 * @param config the config to create the node's actor system with (named {@link
 *     NodeSettings#SYSTEM_NAME})
 */
public record NodeConfig(NodeSettings settings, Config config) {

  /**
   * Reads {@code node} over the defaults (application.conf, reference.conf) and derives Pekko's
   * address, roles, seed nodes, transport (TLS when {@code crtr.node.tls.enabled}) and cluster
   * bootstrap (when {@code crtr.node.bootstrap.enabled}) from {@code crtr.node}. Those derived
   * settings win over any set under {@code pekko.*}: a node has one name for each thing.
   *
   * @throws SettingsException naming the first setting that is wrong
   */
  public static NodeConfig load(Config node) {
    Config merged = node.withFallback(ConfigFactory.load()).resolve();
    NodeSettings settings = NodeSettings.from(merged);
    Map<String, Object> derived = new HashMap<>();
    derived.put("pekko.actor.provider", "cluster");
    derived.put("pekko.remote.artery.canonical.hostname", settings.bindHost());
    derived.put("pekko.remote.artery.canonical.port", settings.bindPort());
    derived.put("pekko.cluster.roles", List.copyOf(settings.roles()));
    derived.put(
        "pekko.cluster.seed-nodes",
        settings.seedNodes().stream().map(s -> s.pekkoAddress(NodeSettings.SYSTEM_NAME)).toList());
    TlsSettings.from(merged).ifPresent(tls -> derived.putAll(tls.pekkoSettings()));
    BootstrapSettings.from(merged).ifPresent(b -> derived.putAll(b.pekkoSettings()));
    Config config = ConfigFactory.parseMap(derived, "derived from crtr.node").withFallback(merged);
    return new NodeConfig(settings, config);
  }

  /** {@link #load} from HOCON text, as a test or an embedded cluster writes it. */
  public static NodeConfig parse(String hocon) {
    return load(ConfigFactory.parseString(hocon));
  }
}
