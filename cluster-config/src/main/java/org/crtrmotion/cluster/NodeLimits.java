package org.crtrmotion.cluster;

/**
 * What one node accepts to run at once.
 *
 * @param maxVms VMs running or reserved for an incoming migration
 * @param maxMemoryBytes guest RAM of those VMs, summed
 */
public record NodeLimits(int maxVms, long maxMemoryBytes) {}
