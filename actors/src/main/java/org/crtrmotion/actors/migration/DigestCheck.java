package org.crtrmotion.actors.migration;

/** What the comparison of the two copies' state digests at the freeze instruction count found. */
public enum DigestCheck {
  MATCH,
  MISMATCH,
  /** The migration ended before both copies stood at the freeze instruction count. */
  NOT_REACHED
}
