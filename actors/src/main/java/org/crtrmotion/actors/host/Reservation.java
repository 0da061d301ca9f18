package org.crtrmotion.actors.host;

/** Capacity held for a VM that an accepted migration offer will bring. */
record Reservation(String migrationId, String vmId, long memoryBytes) {}
