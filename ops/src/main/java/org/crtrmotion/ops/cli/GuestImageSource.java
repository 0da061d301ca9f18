package org.crtrmotion.ops.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.crtrmotion.guests.BundledGuests;
import org.crtrmotion.vm.loader.ElfImage;
import org.crtrmotion.vm.loader.ElfLoader;
import org.crtrmotion.vm.loader.ImageFormatException;

/** Finds an image named on the command line: a file, else a bundled guest of that name. */
final class GuestImageSource {
  private GuestImageSource() {}

  static ElfImage load(String nameOrPath) throws IOException, ImageFormatException {
    Path path = Path.of(nameOrPath);
    byte[] bytes;
    if (Files.exists(path)) {
      bytes = Files.readAllBytes(path);
    } else {
      Optional<byte[]> bundled = BundledGuests.read(nameOrPath);
      if (bundled.isEmpty()) {
        throw new NoSuchFileException(
            nameOrPath,
            null,
            "no such file, and no bundled guest by that name (bundled: "
                + String.join(", ", BundledGuests.NAMES)
                + ")");
      }
      bytes = bundled.get();
    }
    try {
      return ElfLoader.parse(bytes);
    } catch (ImageFormatException e) {
      throw new ImageFormatException(nameOrPath + ": " + e.getMessage());
    }
  }
}
