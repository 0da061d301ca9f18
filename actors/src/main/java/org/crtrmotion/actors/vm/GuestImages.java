package org.crtrmotion.actors.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.crtrmotion.guests.BundledGuests;
import org.crtrmotion.vm.loader.ElfImage;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.loader.ImageFormatException;

/** Finds the image a VM is started from: a bundled guest by name, else an ELF file by path. */
public final class GuestImages {
  private GuestImages() {}

  /**
   * @throws IllegalArgumentException naming the image and what is wrong with it
   */
  public static ElfImage load(String nameOrPath) {
    Optional<byte[]> bundled = BundledGuests.read(nameOrPath);
    byte[] bytes;
    if (bundled.isPresent()) {
      bytes = bundled.get();
    } else {
      Path path;
      try {
        path = Path.of(nameOrPath);
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException("image '" + nameOrPath + "' is not a valid path");
      }
      if (!Files.isRegularFile(path)) {
        throw new IllegalArgumentException(
            "image '"
                + nameOrPath
                + "': no such file, and no bundled guest by that name (bundled: "
                + String.join(", ", BundledGuests.NAMES)
                + ")");
      }
      try {
        bytes = Files.readAllBytes(path);
      } catch (IOException e) {
        throw new IllegalArgumentException("image '" + nameOrPath + "' cannot be read: " + e);
      }
    }
    try {
      return ElfLoader.parse(bytes);
    } catch (ImageFormatException e) {
      throw new IllegalArgumentException("image '" + nameOrPath + "': " + e.getMessage());
    }
  }
}
