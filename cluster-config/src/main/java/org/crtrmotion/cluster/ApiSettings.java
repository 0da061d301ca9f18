package org.crtrmotion.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The node's HTTP management API, read from {@code crtr.node.api}. Refused at start, naming the
 * setting, when the API would be reachable from other hosts without a token: a node bound to a
 * non-loopback address must have {@code crtr.node.api.token}.
 *
 * @param bindHost the address the API listens on; loopback by default
 * @param bindPort its port, 0 for any free one (tests)
 * @param token the bearer token every request must carry when not bound to loopback; empty when
 *     none is configured
 * @param imageDirectories the only directories guest images may be loaded from (bundled guests are
 *     always allowed by name); absolute and normalised
 */
public record ApiSettings(
    String bindHost, int bindPort, Optional<String> token, List<Path> imageDirectories) {

  /** The path of every setting read here. */
  public static final String ROOT = NodeSettings.ROOT + ".api";

  /** Shorter tokens are refused: they can be guessed. */
  static final int MIN_TOKEN_LENGTH = 16;

  public ApiSettings {
    imageDirectories = List.copyOf(imageDirectories);
  }

  /** Reads {@code crtr.node.api} from a resolved config (as {@link NodeConfig#config()}). */
  public static ApiSettings from(Config config) {
    String host = string(config, "bind.host");
    if (host.isBlank()) {
      throw refused("bind.host", "must name a host or address", "empty");
    }
    int port;
    try {
      port = config.getInt(ROOT + ".bind.port");
    } catch (ConfigException e) {
      throw new SettingsException(ROOT + ".bind.port", "must be a number: " + e.getMessage(), e);
    }
    if (port < 0 || port > 65535) {
      throw refused("bind.port", "must be in 0..65535 (0: any free port)", port);
    }
    String tokenText = string(config, "token");
    Optional<String> token = tokenText.isEmpty() ? Optional.empty() : Optional.of(tokenText);
    if (token.isPresent() && tokenText.length() < MIN_TOKEN_LENGTH) {
      throw refused("token", "must be at least " + MIN_TOKEN_LENGTH + " characters", "shorter");
    }
    if (token.isEmpty() && !isLoopback(host)) {
      throw new SettingsException(
          ROOT + ".token",
          "is required when "
              + ROOT
              + ".bind.host is not a loopback address (was "
              + host
              + "): anyone who reaches the port could start VMs");
    }
    List<Path> dirs = new ArrayList<>();
    List<String> dirTexts;
    try {
      dirTexts = config.getStringList(ROOT + ".image-directories");
    } catch (ConfigException e) {
      throw new SettingsException(
          ROOT + ".image-directories", "must be a list of directories: " + e.getMessage(), e);
    }
    for (int i = 0; i < dirTexts.size(); i++) {
      String key = "image-directories[" + i + "]";
      if (dirTexts.get(i).isBlank()) {
        throw refused(key, "must name a directory", "empty");
      }
      try {
        dirs.add(Path.of(dirTexts.get(i)).toAbsolutePath().normalize());
      } catch (InvalidPathException e) {
        throw refused(key, "is not a valid path (" + e.getReason() + ")", dirTexts.get(i));
      }
    }
    return new ApiSettings(host, port, token, dirs);
  }

  /** Whether the API listens only to this host; then it asks no token. */
  public boolean loopbackOnly() {
    return isLoopback(bindHost);
  }

  private static boolean isLoopback(String host) {
    if (host.equals("localhost")) {
      return true;
    }
    try {
      // Only literal addresses: a host name is not resolved at start, it counts as reachable.
      if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
        return false;
      }
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String string(Config config, String key) {
    try {
      return config.getString(ROOT + "." + key);
    } catch (ConfigException e) {
      throw new SettingsException(ROOT + "." + key, "is missing or not a string", e);
    }
  }

  private static SettingsException refused(String key, String rule, Object value) {
    return new SettingsException(ROOT + "." + key, rule + ", was " + value);
  }
}
