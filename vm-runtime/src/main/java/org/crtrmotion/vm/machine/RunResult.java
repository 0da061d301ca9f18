package org.crtrmotion.vm.machine;

/**
 * The end of a run.
 *
 * @param reason why it ended
 * @param exitCode the guest's exit code for {@link StopReason#POWER_OFF}, else 0
 * @param instructions instructions retired in this run (across guest-requested resets)
 * @param detail a human-readable explanation
 */
public record RunResult(StopReason reason, int exitCode, long instructions, String detail) {}
