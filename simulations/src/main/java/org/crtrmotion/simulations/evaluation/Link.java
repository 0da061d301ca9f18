package org.crtrmotion.simulations.evaluation;

/** The links the evaluation migrates over: a {@code max-bandwidth} cap on every stream. */
public enum Link {
  GBIT_1("1Gbit/s", 125_000_000L),
  MBIT_100("100Mbit/s", 12_500_000L);

  private final String label;
  private final long bytesPerSecond;

  Link(String label, long bytesPerSecond) {
    this.label = label;
    this.bytesPerSecond = bytesPerSecond;
  }

  public String label() {
    return label;
  }

  public long bytesPerSecond() {
    return bytesPerSecond;
  }
}
