package org.crtrmotion.simulations.evaluation;

import java.util.Objects;
import org.crtrmotion.vm.machine.MachineConfig;
import org.crtrmotion.vm.time.TimeMode;

/**
 * A guest the evaluation migrates: a bundled image with its bootargs, run in host time so that
 * every time read is an input the source records (CR/TR) or that dirties state (pre-copy).
 *
 * @param name the workload's name in tables and file names
 * @param image the bundled guest
 * @param sliceInstructions the guest thread's slice (a recording source hands its trace over once
 *     per slice; guests that sleep want short ones)
 * @param notRunnableBecause empty when the evaluation can run it; otherwise what is missing, shown
 *     in the output instead of its rows
 */
public record EvalWorkload(
    String name,
    String image,
    String bootargs,
    long ramBytes,
    long sliceInstructions,
    String description,
    String notRunnableBecause) {

  public EvalWorkload {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(bootargs, "bootargs");
    Objects.requireNonNull(description, "description");
    notRunnableBecause = notRunnableBecause == null ? "" : notRunnableBecause;
    if (!name.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException(
          "a workload's name is lower-case letters, digits and '-', not '" + name + "'");
    }
    if (ramBytes <= 0 || sliceInstructions <= 0) {
      throw new IllegalArgumentException(name + ": RAM and slice must be positive");
    }
  }

  public boolean runnable() {
    return notRunnableBecause.isEmpty();
  }

  public MachineConfig machineConfig() {
    return MachineConfig.defaults()
        .withRamBytes(ramBytes)
        .withTimeMode(TimeMode.HOST)
        .withBootargs(bootargs);
  }
}
