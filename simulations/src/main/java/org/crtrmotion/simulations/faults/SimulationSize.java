package org.crtrmotion.simulations.faults;

/**
 * How big one run is.
 *
 * @param nodes cluster nodes, the first of which (it holds the VM directory) is never faulted
 * @param vms guests started before the fault phase
 * @param migrations migrations drawn over those guests
 */
public record SimulationSize(int nodes, int vms, int migrations) {
  public static final SimulationSize DEFAULT = new SimulationSize(3, 2, 3);

  public SimulationSize {
    if (nodes < 2 || nodes > 8) {
      throw new IllegalArgumentException("--nodes must lie between 2 and 8, not " + nodes);
    }
    if (vms < 1 || vms > 2 * nodes) {
      throw new IllegalArgumentException(
          "--vms must lie between 1 and twice the nodes (" + 2 * nodes + "), not " + vms);
    }
    if (migrations < 0 || migrations > 64) {
      throw new IllegalArgumentException(
          "--migrations must lie between 0 and 64, not " + migrations);
    }
  }
}
