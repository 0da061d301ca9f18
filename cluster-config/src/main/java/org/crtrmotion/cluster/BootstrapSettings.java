package org.crtrmotion.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Joining through Pekko Management's cluster bootstrap instead of fixed seed nodes, read from
 * {@code crtr.node.bootstrap}: each node serves a management endpoint, discovers the others' (by
 * DNS, as a Kubernetes headless Service lists its pods, or from a fixed list), and once the
 * required number of them agree the lowest address forms the cluster and the others join it. No
 * node has to be started first, which a StatefulSet with parallel pod start needs.
 *
 * @param discoveryMethod {@code pekko-dns} or {@code config}
 * @param serviceName the DNS name looked up ({@code pekko-dns}) or the name of the contact list
 * @param requiredContactPoints how many nodes must be found before a new cluster is formed
 * @param contactPoints the management endpoints of every node, for {@code config}
 * @param managementHost where this node's management endpoint listens and is reached
 * @param managementPort its port, the same on every node for {@code pekko-dns}
 */
public record BootstrapSettings(
    String discoveryMethod,
    String serviceName,
    int requiredContactPoints,
    List<SeedNode> contactPoints,
    String managementHost,
    int managementPort) {

  /** The path of every setting read here. */
  public static final String ROOT = NodeSettings.ROOT + ".bootstrap";

  public static final String DNS = "pekko-dns";
  public static final String CONFIG = "config";

  public BootstrapSettings {
    contactPoints = List.copyOf(contactPoints);
  }

  /** Reads {@code crtr.node.bootstrap}; empty when bootstrap is off. */
  public static Optional<BootstrapSettings> from(Config config) {
    if (!OnOffSetting.read(config, ROOT + ".enabled")) {
      return Optional.empty();
    }
    if (!config.getStringList(NodeSettings.ROOT + ".seed-nodes").isEmpty()) {
      throw new SettingsException(
          ROOT + ".enabled",
          "bootstrap and " + NodeSettings.ROOT + ".seed-nodes exclude each other: keep one");
    }
    String method = string(config, "discovery-method");
    if (!method.equals(DNS) && !method.equals(CONFIG)) {
      throw new SettingsException(
          ROOT + ".discovery-method", "must be " + DNS + " or " + CONFIG + ", was " + method);
    }
    String service = string(config, "service-name");
    if (service.isBlank()) {
      throw new SettingsException(ROOT + ".service-name", "must name the service to discover");
    }
    int required = integer(config, "required-contact-points");
    if (required < 1) {
      throw new SettingsException(
          ROOT + ".required-contact-points", "must be at least 1, was " + required);
    }
    List<SeedNode> contacts = new ArrayList<>();
    List<String> texts = stringList(config, "contact-points");
    for (int i = 0; i < texts.size(); i++) {
      try {
        contacts.add(SeedNode.parse(texts.get(i)));
      } catch (IllegalArgumentException e) {
        throw new SettingsException(ROOT + ".contact-points[" + i + "]", e.getMessage());
      }
    }
    if (method.equals(CONFIG) && contacts.size() < required) {
      throw new SettingsException(
          ROOT + ".contact-points",
          "lists "
              + contacts.size()
              + " endpoints, fewer than the "
              + required
              + " required-contact-points");
    }
    String host = string(config, "management.host");
    if (host.isBlank()) {
      host = config.getString(NodeSettings.ROOT + ".bind.host");
    }
    int port = integer(config, "management.port");
    if (port < 1 || port > 65535) {
      throw new SettingsException(
          ROOT + ".management.port",
          "must be a fixed port in 1..65535 (the other nodes contact it), was " + port);
    }
    return Optional.of(new BootstrapSettings(method, service, required, contacts, host, port));
  }

  /** The Pekko Management settings these imply. */
  Map<String, Object> pekkoSettings() {
    String bootstrap = "pekko.management.cluster.bootstrap.contact-point-discovery.";
    Map<String, Object> m = new HashMap<>();
    m.put("pekko.management.http.hostname", managementHost);
    m.put("pekko.management.http.port", managementPort);
    m.put(bootstrap + "service-name", serviceName);
    m.put(bootstrap + "discovery-method", discoveryMethod);
    m.put(bootstrap + "required-contact-point-nr", requiredContactPoints);
    // A DNS A record has no port: every node's endpoint is on the same one.
    m.put("pekko.management.cluster.bootstrap.contact-point.fallback-port", managementPort);
    if (discoveryMethod.equals(CONFIG)) {
      // Listed endpoints carry their ports, which may differ (several nodes on one host). Without
      // a port name bootstrap keeps one endpoint per host, on its own port; with one it keeps all.
      m.put(bootstrap + "port-name", "management");
      m.put(
          "pekko.discovery.config.services." + serviceName + ".endpoints",
          contactPoints.stream().map(c -> Map.of("host", c.host(), "port", c.port())).toList());
    }
    return m;
  }

  private static String string(Config config, String key) {
    try {
      return config.getString(ROOT + "." + key);
    } catch (ConfigException e) {
      throw new SettingsException(ROOT + "." + key, "is missing or not a string", e);
    }
  }

  private static List<String> stringList(Config config, String key) {
    try {
      return config.getStringList(ROOT + "." + key);
    } catch (ConfigException e) {
      throw new SettingsException(ROOT + "." + key, "is missing or not a list of strings", e);
    }
  }

  private static int integer(Config config, String key) {
    try {
      return config.getInt(ROOT + "." + key);
    } catch (ConfigException e) {
      throw new SettingsException(ROOT + "." + key, "is missing or not a number", e);
    }
  }
}
