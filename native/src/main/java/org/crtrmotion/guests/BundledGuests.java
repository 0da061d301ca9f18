package org.crtrmotion.guests;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** The guest images built from {@code native/guests} and shipped inside this module's jar. */
public final class BundledGuests {
  /** Every bundled image, by file name. */
  public static final List<String> NAMES =
      List.of("hello.elf", "cpu.elf", "memory.elf", "idle.elf", "netkv.elf", "disk.elf");

  private BundledGuests() {}

  /** The bytes of a bundled image, or empty when there is none by that name. */
  public static Optional<byte[]> read(String name) {
    if (!NAMES.contains(name)) {
      return Optional.empty();
    }
    try (InputStream in = BundledGuests.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "bundled guest "
                + name
                + " is missing from the crtr-native jar: rebuild with mvn package");
      }
      return Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read bundled guest " + name, e);
    }
  }
}
