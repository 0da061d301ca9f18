package org.crtrmotion.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The typed settings of one crtr-motion node, read from {@code crtr.node} (defaults in this
 * module's {@code reference.conf}). Reading refuses a misconfiguration at start with a {@link
 * SettingsException} naming the setting, so that a node never runs on a half-understood file.
 *
 * @param name the node's name, unique in the cluster: the VM directory says where a VM lives by it
 * @param roles Pekko cluster roles; {@code host} nodes run VMs
 * @param bindHost the host name or address Artery listens on and peers reach
 * @param bindPort Artery's port, 0 for any free one (tests)
 * @param seedNodes the nodes to contact when joining; empty to join by hand (tests)
 * @param dataDirectory where the node keeps spilled traces and checkpoints
 * @param limits how much the node runs at once
 */
public record NodeSettings(
    String name,
    Set<String> roles,
    String bindHost,
    int bindPort,
    List<SeedNode> seedNodes,
    Path dataDirectory,
    NodeLimits limits) {

  /** The path of every setting read here. */
  public static final String ROOT = "crtr.node";

  /** Every node's actor system has this name: Pekko only joins systems of one name. */
  public static final String SYSTEM_NAME = "crtr";

  /** The role of nodes that run VMs and a host agent. */
  public static final String ROLE_HOST = "host";

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9-]{0,62}");

  public NodeSettings {
    roles = Set.copyOf(roles);
    seedNodes = List.copyOf(seedNodes);
  }

  /** Reads {@code crtr.node} from a resolved config. */
  public static NodeSettings from(Config config) {
    return new Reader(config).read();
  }

  /** Whether this node runs VMs. */
  public boolean isHost() {
    return roles.contains(ROLE_HOST);
  }

  /** Reads one setting at a time so that each error names its own key. */
  private static final class Reader {
    private final Config config;

    Reader(Config config) {
      this.config = config;
    }

    NodeSettings read() {
      String name = string("name");
      if (!NAME.matcher(name).matches()) {
        throw refused("name", "must be 1 to 63 of a-z, 0-9 and '-', not starting with '-'", name);
      }
      Set<String> roles = Set.copyOf(stringList("roles"));
      for (String role : roles) {
        if (!ROLE.matcher(role).matches()) {
          throw refused("roles", "a role must be a lower-case word (a-z, 0-9, '-')", role);
        }
      }
      String bindHost = string("bind.host");
      if (bindHost.isBlank()) {
        throw refused("bind.host", "must name a host or address", bindHost);
      }
      int bindPort = integer("bind.port");
      if (bindPort < 0 || bindPort > 65535) {
        throw refused("bind.port", "must be in 0..65535 (0: any free port)", bindPort);
      }
      List<SeedNode> seeds = new ArrayList<>();
      List<String> seedTexts = stringList("seed-nodes");
      for (int i = 0; i < seedTexts.size(); i++) {
        try {
          seeds.add(SeedNode.parse(seedTexts.get(i)));
        } catch (IllegalArgumentException e) {
          throw new SettingsException(ROOT + ".seed-nodes[" + i + "]", e.getMessage());
        }
      }
      Path data = path("data-directory");
      int maxVms = integer("limits.max-vms");
      if (maxVms < 1) {
        throw refused("limits.max-vms", "must be at least 1", maxVms);
      }
      long maxMemory = bytes("limits.max-memory");
      if (maxMemory < (1L << 20)) {
        throw refused("limits.max-memory", "must be at least 1 MiB", maxMemory);
      }
      return new NodeSettings(
          name, roles, bindHost, bindPort, seeds, data, new NodeLimits(maxVms, maxMemory));
    }

    private static SettingsException refused(String key, String rule, Object value) {
      return new SettingsException(ROOT + "." + key, rule + ", was " + value);
    }

    private String string(String key) {
      try {
        return config.getString(ROOT + "." + key);
      } catch (ConfigException e) {
        throw typeError(key, e);
      }
    }

    private List<String> stringList(String key) {
      try {
        return config.getStringList(ROOT + "." + key);
      } catch (ConfigException e) {
        throw typeError(key, e);
      }
    }

    private int integer(String key) {
      try {
        return config.getInt(ROOT + "." + key);
      } catch (ConfigException e) {
        throw typeError(key, e);
      }
    }

    private long bytes(String key) {
      try {
        return config.getBytes(ROOT + "." + key);
      } catch (ConfigException e) {
        throw typeError(key, e);
      }
    }

    private Path path(String key) {
      String text = string(key);
      if (text.isBlank()) {
        throw refused(key, "must name a directory", "empty");
      }
      try {
        return Path.of(text);
      } catch (InvalidPathException e) {
        throw refused(key, "is not a valid path (" + e.getReason() + ")", text);
      }
    }

    private static SettingsException typeError(String key, ConfigException e) {
      String problem =
          e instanceof ConfigException.Missing
              ? "is missing"
              : e instanceof ConfigException.WrongType || e instanceof ConfigException.BadValue
                  ? "has the wrong type or format (" + e.getMessage() + ")"
                  : e.getMessage();
      return new SettingsException(ROOT + "." + key, problem, e);
    }
  }
}
