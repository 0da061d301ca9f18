package org.crtrmotion.simulations.qemu;

import java.io.IOException;

/** QEMU answered a QMP command with an error; the message names the peer, command and reason. */
public final class QmpException extends IOException {
  private final String command;
  private final String errorClass;

  QmpException(String peer, String command, String errorClass, String description) {
    super(peer + " refused QMP command " + command + ": " + errorClass + ": " + description);
    this.command = command;
    this.errorClass = errorClass;
  }

  /** The command QEMU refused, e.g. {@code migrate}. */
  public String command() {
    return command;
  }

  /** QMP's error class, e.g. {@code GenericError} or {@code CommandNotFound}. */
  public String errorClass() {
    return errorClass;
  }
}
