package org.crtrmotion.actors.migration;

/**
 * One round of a migration's transfer phase, as the source measured it at the round's end.
 *
 * @param round 1 for the first round
 * @param endedAtMillis since the migration started
 * @param bytesSent put on the link during this round, every kind
 * @param backlogBytes still to send when the round ended: trace not yet at the target (CR/TR) or
 *     dirty pages (pre-copy)
 * @param lagInstructions how far the target's replay is behind the source (CR/TR; 0 otherwise)
 * @param linkBytesPerSecond the link rate measured over the round
 * @param producedBytesPerSecond how fast the backlog grows while the source runs: trace bytes
 *     recorded (CR/TR) or pages dirtied (pre-copy)
 * @param replayInstructionsPerSecond the target's replay rate (CR/TR; 0 otherwise)
 * @param expectedDowntimeMillis the downtime predicted if the source froze now
 * @param throttlePercent the source's vCPU throttle in force (0 = none)
 */
public record RoundReport(
    int round,
    long endedAtMillis,
    long bytesSent,
    long backlogBytes,
    long lagInstructions,
    long linkBytesPerSecond,
    long producedBytesPerSecond,
    long replayInstructionsPerSecond,
    long expectedDowntimeMillis,
    int throttlePercent) {}
