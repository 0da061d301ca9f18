package org.crtrmotion.actors.net;

/**
 * A message of the {@code crtr.net} protocol (switch to switch across nodes); bound to {@link
 * SwitchProtocolSerializer}.
 */
public interface SwitchMessage {}
