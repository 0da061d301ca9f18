package org.crtrmotion.cluster;

/** A node's configuration was refused at start; the message names the setting and why. */
public final class SettingsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;

  SettingsException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  SettingsException(String key, String problem, Throwable cause) {
    super(key + ": " + problem, cause);
    this.key = key;
  }

  /** The full HOCON path of the refused setting, e.g. {@code crtr.node.bind.port}. */
  public String key() {
    return key;
  }
}
