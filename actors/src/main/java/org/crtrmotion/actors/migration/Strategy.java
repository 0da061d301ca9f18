package org.crtrmotion.actors.migration;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a migration moves a VM's state. */
public enum Strategy {
  /** Checkpoint streamed while the guest runs and records, then the trace replayed (the paper). */
  CRTR("crtr"),
  /** Rounds of dirty pages, then stop-and-copy (Xen 2005, QEMU today): the baseline. */
  PRECOPY("precopy");

  private final String cliName;

  Strategy(String cliName) {
    this.cliName = cliName;
  }

  /** The stable name used on the command line, in JSON reports and on the wire. */
  public String cliName() {
    return cliName;
  }

  /** The strategy named {@code name} (case-insensitive), or an error listing the names known. */
  public static Strategy parse(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    for (Strategy s : values()) {
      if (s.cliName.equals(wanted)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown migration strategy '"
            + name
            + "'; known: "
            + Arrays.stream(values()).map(Strategy::cliName).collect(Collectors.joining(", ")));
  }
}
