package org.crtrmotion.ops.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import org.crtrmotion.guests.BundledGuests;

/**
 * Which guest images the API may start: a bundled guest by name always, a file only from under one
 * of the configured directories ({@code crtr.node.api.image-directories}). Paths are compared after
 * resolving symbolic links and {@code ..}, so neither leads out of an allowed directory.
 */
final class ImagePolicy {
  private final List<Path> directories;

  ImagePolicy(List<Path> directories) {
    this.directories = List.copyOf(directories);
  }

  /** The image as the host agent should load it, or why it is refused. */
  sealed interface Decision permits Allowed, Refused {}

  record Allowed(String image) implements Decision {}

  record Refused(String reason) implements Decision {}

  Decision check(String image) {
    if (BundledGuests.read(image).isPresent()) {
      return new Allowed(image);
    }
    Path path;
    try {
      path = Path.of(image);
    } catch (InvalidPathException e) {
      return new Refused("image '" + image + "' is not a valid path");
    }
    if (!path.isAbsolute()) {
      return new Refused(
          "image '"
              + image
              + "' is neither a bundled guest ("
              + String.join(", ", BundledGuests.NAMES)
              + ") nor an absolute path");
    }
    Path real = realOrNormal(path);
    for (Path dir : directories) {
      if (real.startsWith(realOrNormal(dir))) {
        return new Allowed(real.toString());
      }
    }
    return new Refused(
        "image "
            + real
            + " is outside the allowed image directories (crtr.node.api.image-directories = "
            + directories
            + ")");
  }

  private static Path realOrNormal(Path path) {
    try {
      return Files.exists(path) ? path.toRealPath() : path.toAbsolutePath().normalize();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }
}
