package org.crtrmotion.vm.machine;

/** An image cannot be booted on this machine as configured (it does not fit in RAM, say). */
public final class BootException extends Exception {
  private static final long serialVersionUID = 1L;

  public BootException(String message) {
    super(message);
  }
}
