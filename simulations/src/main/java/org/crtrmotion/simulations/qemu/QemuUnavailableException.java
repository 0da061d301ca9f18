package org.crtrmotion.simulations.qemu;

import java.io.IOException;

/** {@code qemu-system-riscv64} is not installed, so QEMU's pre-copy cannot run here. */
public final class QemuUnavailableException extends IOException {
  QemuUnavailableException(String message) {
    super(message);
  }
}
