package org.crtrmotion.actors.coordinator;

/**
 * A message of the {@code crtr.migration} protocol: crosses nodes, so {@code reference.conf} binds
 * it to {@link MigrationProtocolSerializer}. Only the records of {@link MigrationProtocol}
 * implement it.
 */
public interface MigrationMessage {}
