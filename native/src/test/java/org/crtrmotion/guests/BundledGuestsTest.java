package org.crtrmotion.guests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class BundledGuestsTest {
  @Test
  void everyBundledImageIsTheCommittedFile() throws Exception {
    for (String name : BundledGuests.NAMES) {
      byte[] committed = Files.readAllBytes(Path.of("guests/images", name));
      assertArrayEquals(committed, BundledGuests.read(name).orElseThrow(), name);
    }
  }

  @Test
  void unknownNameIsEmpty() {
    assertTrue(BundledGuests.read("nonexistent.elf").isEmpty());
    assertTrue(BundledGuests.read("../pom.xml").isEmpty());
  }
}
