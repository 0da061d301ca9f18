package org.crtrmotion.actors.devices;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SHA-256 of base disk images, the identity a VM's disk carries across nodes. A node hashes an
 * image once per (path, size, modification time): a replaced file is hashed anew.
 */
public final class ImageIdentity {
  private record Key(Path path, long bytes, long modifiedMillis) {}

  private final Map<Key, String> known = new ConcurrentHashMap<>();

  /**
   * The image's SHA-256 in lowercase hex.
   *
   * @throws NoSuchFileException when there is no file at {@code path}
   */
  public String sha256(Path path) throws IOException {
    Key key = new Key(path, Files.size(path), Files.getLastModifiedTime(path).toMillis());
    String hash = known.get(key);
    if (hash == null) {
      hash = hashOf(path);
      known.put(key, hash);
    }
    return hash;
  }

  private static String hashOf(Path path) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(path)) {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        sha.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
