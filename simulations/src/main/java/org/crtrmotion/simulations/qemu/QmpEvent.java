package org.crtrmotion.simulations.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An asynchronous QMP event, e.g. {@code STOP} or {@code RESUME}.
 *
 * @param name the event's name
 * @param data its {@code data} member (a missing node when it has none)
 * @param timestamp when QEMU emitted it, by the host's wall clock (QEMU's own timestamp, so two
 *     QEMUs on one host can be compared)
 */
public record QmpEvent(String name, JsonNode data, Instant timestamp) {}
