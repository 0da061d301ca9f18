package org.crtrmotion.simulations.qemu;

import java.io.IOException;

/** QEMU's migration failed, or a QEMU process did not do its part; the message says which. */
public final class QemuMigrationException extends IOException {
  QemuMigrationException(String message) {
    super(message);
  }

  QemuMigrationException(String message, Throwable cause) {
    super(message, cause);
  }
}
