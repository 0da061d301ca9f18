package org.crtrmotion.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/** An {@code enabled = on|off} switch, refused with its key when it is neither. */
final class OnOffSetting {
  private OnOffSetting() {}

  static boolean read(Config config, String key) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException e) {
      throw new SettingsException(key, "must be on or off: " + e.getMessage(), e);
    }
  }
}
