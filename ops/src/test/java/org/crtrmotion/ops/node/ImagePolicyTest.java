package org.crtrmotion.ops.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePolicyTest {
  @TempDir Path tmp;

  @Test
  void aBundledGuestIsAllowedByNameWithNoDirectoryConfigured() {
    assertEquals(
        new ImagePolicy.Allowed("hello.elf"), new ImagePolicy(List.of()).check("hello.elf"));
  }

  @Test
  void aFileUnderAnAllowedDirectoryIsAllowed() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("images"));
    Path image = Files.writeString(dir.resolve("g.elf"), "x");
    assertEquals(
        new ImagePolicy.Allowed(image.toRealPath().toString()),
        new ImagePolicy(List.of(dir)).check(image.toString()));
  }

  @Test
  void aFileOutsideTheAllowedDirectoriesIsRefusedNamingThePath() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("images"));
    Path other = Files.writeString(tmp.resolve("other.elf"), "x");
    var refused =
        assertInstanceOf(
            ImagePolicy.Refused.class, new ImagePolicy(List.of(dir)).check(other.toString()));
    assertTrue(refused.reason().contains(other.toRealPath().toString()), refused.reason());
    assertTrue(refused.reason().contains("crtr.node.api.image-directories"), refused.reason());
  }

  @Test
  void dotDotCannotLeaveAnAllowedDirectory() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("images"));
    Files.writeString(tmp.resolve("other.elf"), "x");
    assertInstanceOf(
        ImagePolicy.Refused.class, new ImagePolicy(List.of(dir)).check(dir + "/../other.elf"));
  }

  @Test
  void aSymbolicLinkOutOfAnAllowedDirectoryIsRefused() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("images"));
    Path other = Files.writeString(tmp.resolve("other.elf"), "x");
    Path link = Files.createSymbolicLink(dir.resolve("link.elf"), other);
    assertInstanceOf(
        ImagePolicy.Refused.class, new ImagePolicy(List.of(dir)).check(link.toString()));
  }

  @Test
  void aRelativePathIsRefused() {
    assertInstanceOf(
        ImagePolicy.Refused.class, new ImagePolicy(List.of(tmp)).check("images/g.elf"));
  }
}
