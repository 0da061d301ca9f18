package org.crtrmotion.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Artery over TLS between nodes, with mutual authentication, read from {@code crtr.node.tls}: a
 * node proves itself with its key store (its key and a certificate signed by the cluster CA, as
 * {@code crtr certs} makes them) and accepts only peers whose certificate the trust store's CA
 * signed. A node whose certificate another CA signed cannot join.
 *
 * @param keyStore PKCS12 with this node's key and certificate chain
 * @param trustStore PKCS12 with the cluster CA's certificate
 * @param password of both stores and of the key
 */
public record TlsSettings(Path keyStore, Path trustStore, String password) {

  /** The path of every setting read here. */
  public static final String ROOT = NodeSettings.ROOT + ".tls";

  /** Reads {@code crtr.node.tls}; empty when TLS is off. */
  public static Optional<TlsSettings> from(Config config) {
    if (!OnOffSetting.read(config, ROOT + ".enabled")) {
      return Optional.empty();
    }
    Path keyStore = existingFile(config, "key-store");
    Path trustStore = existingFile(config, "trust-store");
    String password = string(config, "password");
    if (password.isEmpty()) {
      throw new SettingsException(ROOT + ".password", "is required when TLS is on");
    }
    return Optional.of(new TlsSettings(keyStore, trustStore, password));
  }

  /** The Pekko settings that put Artery on TLS with these stores. */
  Map<String, Object> pekkoSettings() {
    String engine = "pekko.remote.artery.ssl.config-ssl-engine.";
    Map<String, Object> m = new HashMap<>();
    m.put("pekko.remote.artery.transport", "tls-tcp");
    m.put(engine + "key-store", keyStore.toString());
    m.put(engine + "trust-store", trustStore.toString());
    m.put(engine + "key-store-password", password);
    m.put(engine + "key-password", password);
    m.put(engine + "trust-store-password", password);
    m.put(engine + "require-mutual-authentication", true);
    return m;
  }

  private static Path existingFile(Config config, String key) {
    String text = string(config, key);
    if (text.isBlank()) {
      throw new SettingsException(ROOT + "." + key, "is required when TLS is on");
    }
    Path path = Path.of(text);
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new SettingsException(ROOT + "." + key, "no readable file " + path);
    }
    return path;
  }

  private static String string(Config config, String key) {
    try {
      return config.getString(ROOT + "." + key);
    } catch (ConfigException e) {
      throw new SettingsException(ROOT + "." + key, "is missing or not a string", e);
    }
  }
}
