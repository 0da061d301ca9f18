package org.crtrmotion.simulations.faults;

/** One broken invariant, said in words. */
public record Violation(Invariant invariant, String detail) {
  @Override
  public String toString() {
    return invariant.title() + ": " + detail;
  }
}
